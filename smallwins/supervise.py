"""Supervision for ``smallwins up``: a process that dies is started again, the others keep going.

Every service and web run as child processes; the embedded PostgreSQL and NATS too. The
supervisor looks at them twice a second. One that has died is started again after a delay that
doubles with each quick death (0.5 s, 1 s, 2 s ... at most 30 s) and goes back to the shortest
once the process has stayed up for ten seconds. Each restart is logged with the exit status. Ctrl-C
stops everything, including servers it restarted.
"""

from __future__ import annotations

import logging
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

from shared.backoff import backoff
from shared.runtime import EmbeddedServers, RuntimeProblem

log = logging.getLogger(__name__)

FIRST_DELAY_S = 0.5
MAX_DELAY_S = 30.0
STABLE_AFTER_S = 10.0


@dataclass
class Backoff:
    quick_deaths: int = 0  # deaths in a row, each before the process had stayed up STABLE_AFTER_S
    not_before: float = 0.0
    started_at: float = 0.0
    restarts: int = 0

    def failed(self, now: float) -> float:
        """A death at ``now``: how long to wait before the next start."""
        if now - self.started_at >= STABLE_AFTER_S:
            self.quick_deaths = 0
        self.quick_deaths += 1
        wait = backoff(self.quick_deaths, FIRST_DELAY_S, MAX_DELAY_S)
        self.not_before = now + wait
        return wait


class Supervisor:
    def __init__(
        self,
        start: Callable[[str], subprocess.Popen[bytes]],
        names: tuple[str, ...],
        embedded: EmbeddedServers | None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._start = start
        self._clock = clock
        self.embedded = embedded
        self.children: dict[str, subprocess.Popen[bytes]] = {}
        self._backoff: dict[str, Backoff] = {}
        self._dead: dict[str, int] = {}
        now = clock()
        for name in names:
            self.children[name] = start(name)
            self._backoff[name] = Backoff(started_at=now)
        self._servers = Backoff(started_at=now)

    def tick(self) -> None:
        """Start again whatever has died and is due; call this regularly."""
        now = self._clock()
        self._revive_servers(now)
        for name, proc in self.children.items():
            code = proc.poll()
            if code is None:
                continue
            backoff = self._backoff[name]
            if name not in self._dead:
                self._dead[name] = code
                wait = backoff.failed(now)
                _say(f"{name} stopped unexpectedly (exit {code}); starting it again in {wait:.1f} s.")
                log.warning("process died", extra={"child": name, "exit": code, "restart_in_s": wait})
            if now >= backoff.not_before:
                del self._dead[name]
                self.children[name] = self._start(name)
                backoff.started_at, backoff.restarts = now, backoff.restarts + 1
                log.info("process restarted", extra={"child": name, "restarts": backoff.restarts})

    def _revive_servers(self, now: float) -> None:
        if self.embedded is None or now < self._servers.not_before:
            return
        try:
            revived = self.embedded.revive()
        except RuntimeProblem as exc:  # still going away (its old processes linger): later
            wait = self._servers.failed(now)
            _say(f"a server could not be started again yet ({exc}); trying again in {wait:.1f} s.")
            return
        for name in revived:
            self._servers.started_at = now
            self._servers.restarts += 1
            _say(f"{name} had stopped; it was started again.")

    @property
    def restarts(self) -> dict[str, int]:
        return {name: b.restarts for name, b in self._backoff.items()} | {"servers": self._servers.restarts}


def _say(message: str) -> None:
    print(f"smallwins: {message}", file=sys.stderr, flush=True)  # noqa: T201
