"""The supervisor of `smallwins up`: what dies is started again, with a growing delay."""

from __future__ import annotations

import subprocess

import pytest

from smallwins.supervise import FIRST_DELAY_S, STABLE_AFTER_S, Backoff, Supervisor

pytestmark = pytest.mark.unit


class FakeProcess:
    def __init__(self, name: str) -> None:
        self.name = name
        self.code: int | None = None

    def poll(self) -> int | None:
        return self.code


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_dead_child_is_started_again_after_a_delay_that_grows_and_resets_once_stable() -> None:
    clock = Clock()
    started: list[str] = []

    def start(name: str) -> subprocess.Popen[bytes]:
        started.append(name)
        return FakeProcess(name)  # type: ignore[return-value]

    sup = Supervisor(start, ("journal", "web"), None, clock=clock)
    assert started == ["journal", "web"]
    sup.children["journal"].code = -9  # type: ignore[attr-defined]
    sup.tick()
    assert started == ["journal", "web"], "not before the delay"
    clock.now += FIRST_DELAY_S
    sup.tick()
    assert started == ["journal", "web", "journal"] and sup.children["web"].poll() is None
    sup.children["journal"].code = 1  # type: ignore[attr-defined]  # falls over again at once
    clock.now += 0.1
    sup.tick()
    clock.now += FIRST_DELAY_S
    sup.tick()
    assert started.count("journal") == 2, "a quick second death waits twice as long"
    clock.now += FIRST_DELAY_S
    sup.tick()
    assert started.count("journal") == 3 and sup.restarts["journal"] == 2
    clock.now += STABLE_AFTER_S + 1  # up long enough: the next death is restarted quickly again
    sup.children["journal"].code = -9  # type: ignore[attr-defined]
    sup.tick()
    clock.now += FIRST_DELAY_S
    sup.tick()
    assert started.count("journal") == 4


def test_backoff_doubles_up_to_its_cap() -> None:
    b = Backoff(started_at=0.0)
    waits = [b.failed(1.0) for _ in range(10)]
    assert waits[:3] == [0.5, 1.0, 2.0] and max(waits) == 30.0
