"""`smallwins up` as a person runs it: starts everything, survives a restart, stops cleanly."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from shared.runtime import free_port, port_is_free

pytestmark = pytest.mark.e2e


def _env(data: Path, web: int, pg: int, mq: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SMALLWINS_")}
    env.update(
        SMALLWINS_DATA_DIR=str(data),
        SMALLWINS_HTTP_PORT=str(web),
        SMALLWINS_POSTGRES_PORT=str(pg),
        SMALLWINS_NATS_PORT=str(mq),
        SMALLWINS_SMTP_PORT=str(free_port()),  # the mail catcher's, out of the way of a running `make run`
    )
    return env


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "smallwins", *args], env=env, capture_output=True, text=True, timeout=120
    )


class Up:
    def __init__(self, env: dict[str, str], web: int) -> None:
        self.url = f"http://127.0.0.1:{web}"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "smallwins", "up"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 90
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            if "Small Wins is running at" in line:
                assert self.url in line
                return
            assert time.monotonic() < deadline, "no URL printed in time"
        raise AssertionError(f"up ended early: {self.proc.stderr.read() if self.proc.stderr else ''}")

    def stop(self) -> int:
        self.proc.send_signal(signal.SIGINT)
        code = self.proc.wait(60)
        for pipe in (self.proc.stdout, self.proc.stderr):
            if pipe:
                pipe.close()
        return code


@pytest.fixture
def ports() -> tuple[int, int, int]:
    return free_port(), free_port(), free_port()


def test_up_serves_survives_a_restart_and_stops_every_process(tmp_path: Path, ports: tuple[int, int, int]) -> None:
    web, pg, mq = ports
    env = _env(tmp_path / "data", web, pg, mq)
    up = Up(env, web)
    try:
        member = {"pseudonym": "Kept Promise", "email": "kept@example.org", "password": "still here after restart"}
        assert httpx.post(f"{up.url}/api/members", json=member).status_code == 201
        assert httpx.get(f"{up.url}/health/ready").status_code == 200

        busy = _run(env, "up")  # a second run on the same data folder
        assert busy.returncode == 1 and "already running on the data folder" in busy.stderr

        status = _run(env, "status")
        assert status.returncode == 0, status.stdout + status.stderr
        for expected in ("PostgreSQL", "NATS", "accounts relay", "sw_notifications-welcome", "Parked messages"):
            assert expected in status.stdout
        assert "DOWN" not in status.stdout and "PARKED" not in status.stdout

        granted = _run(env, "grant-moderator", "kept promise")
        assert granted.returncode == 0 and "now a moderator" in granted.stdout
    finally:
        assert up.stop() == 0
    for port in (web, pg, mq):
        assert _eventually_free(port), f"port {port} still taken after Ctrl-C"

    again = Up(env, web)
    try:
        signed_in = httpx.post(
            f"{again.url}/api/sessions", json={"email": "kept@example.org", "password": "still here after restart"}
        )
        assert signed_in.status_code == 201
        assert "moderator" in signed_in.json()["member"]["roles"]
    finally:
        assert again.stop() == 0


def test_up_says_clearly_when_a_port_is_taken(tmp_path: Path, ports: tuple[int, int, int]) -> None:
    web, pg, mq = ports
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", pg))
        taken.listen()
        result = _run(_env(tmp_path / "data", web, pg, mq), "up")
    assert result.returncode == 1
    assert f"Port {pg} on 127.0.0.1 is already in use" in result.stderr and "SMALLWINS_POSTGRES_PORT" in result.stderr


def test_rebuild_names_the_read_models_it_knows(tmp_path: Path, ports: tuple[int, int, int]) -> None:
    web, pg, mq = ports
    env = _env(tmp_path / "data", web, pg, mq)
    unknown = _run(env, "rebuild", "accounts", "nonsense")
    assert unknown.returncode == 2 and "it has: members, erasures)" in unknown.stderr
    done = _run(env, "rebuild", "accounts", "members")
    assert done.returncode == 0 and "Rebuilt accounts.members from 0 events" in done.stdout
    aligned = _run(env, "reconcile")
    assert aligned.returncode == 0 and "Streams and consumers match the code." in aligned.stdout, aligned.stderr
    listed = _run(env, "parked")
    assert listed.returncode == 0 and "No parked messages." in listed.stdout
    unknown_id = _run(env, "parked", "replay", "journal/99")
    assert unknown_id.returncode == 1 and "journal/99: not replayed: no parked message has this id" in unknown_id.stdout
    garbled = _run(env, "parked", "replay", "nonsense")
    assert garbled.returncode == 2 and "ids look like journal/3" in garbled.stderr
    consumed = _run(env, "rebuild", "journal", "people")  # built by a consumer, from the accounts stream
    assert consumed.returncode == 0 and "Rebuilt journal.people from 0 events" in consumed.stdout, consumed.stderr
    told = _run(env, "rebuild", "notifications", "nonsense")
    assert "people, posts, journals, zones, last_wrote)" in told.stderr, told.stderr
    addresses = _run(env, "rebuild", "notifications", "journals")  # two tables, from the journal stream
    assert addresses.returncode == 0 and "Rebuilt notifications.journals from 0 events" in addresses.stdout


def _eventually_free(port: int) -> bool:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if port_is_free(port):
            return True
        time.sleep(0.2)
    return False
