"""From a kill -9 of the journal service to the next successful write, under `smallwins up`.

`smallwins up` runs on the benchmark's servers; one client keeps recording journal entries
through the API (client-made ids, retried until answered). Each round kills the journal process
and times how long until a write succeeds again. The baseline is a write's ordinary time in the
same run.
"""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import httpx
import psutil

from bench.report import Figure
from shared.runtime import free_port

ROUNDS = 5


class _Writer:
    def __init__(self, url: str, token: str) -> None:
        self.url, self.auth = url, {"Authorization": f"Bearer {token}"}
        self.successes: list[float] = []
        self.latencies: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        with httpx.Client(timeout=8) as client:
            while not self._stop.is_set():
                body = {"id": str(uuid.uuid4()), "kind": "victory", "text": "still here"}
                while not self._stop.is_set():
                    began = time.monotonic()
                    try:
                        reply = client.post(f"{self.url}/api/journal/entries", json=body, headers=self.auth)
                    except httpx.HTTPError:
                        time.sleep(0.05)
                        continue
                    if reply.status_code == 201:
                        self.latencies.append(time.monotonic() - began)
                        self.successes.append(time.monotonic())
                        break
                    time.sleep(0.05)

    def first_success_after(self, moment: float, timeout: float = 60) -> float:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            later = [t for t in list(self.successes) if t > moment]
            if later:
                return min(later) - moment
            time.sleep(0.01)
        raise RuntimeError("no write succeeded after the kill")

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(30)


def _journal_process(up: subprocess.Popen[bytes]) -> psutil.Process:
    for child in psutil.Process(up.pid).children(recursive=True):
        if child.cmdline()[-2:] == ["serve", "journal"]:
            return child
    raise RuntimeError("no journal process under smallwins up")


def healing_figures(database_url: str, nats_url: str) -> list[Figure]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="smallwins-heal-") as tmp:
        env = {
            **os.environ, "SMALLWINS_DATABASE_URL": database_url, "SMALLWINS_NATS_URL": nats_url,
            "SMALLWINS_NATS_PREFIX": "healbench", "SMALLWINS_HTTP_PORT": str(port), "SMALLWINS_DATA_DIR": tmp,
            "SMALLWINS_SECRET_KEY": "bench-secret", "SMALLWINS_LOG_LEVEL": "WARNING",
            "SMALLWINS_METRICS_PORT": str(free_port()),
            # one member writing as fast as it can, on purpose: web's rate limits are off
            "SMALLWINS_ADDRESS_WRITES_PER_MINUTE": "0", "SMALLWINS_MEMBER_WRITES_PER_MINUTE": "0",
        }  # fmt: skip
        log = Path(tmp) / "up.log"
        with log.open("wb") as out:
            up = subprocess.Popen([sys.executable, "-m", "smallwins", "up"], env=env, stdout=out, stderr=out)
        writer: _Writer | None = None
        try:
            deadline = time.monotonic() + 120
            while "Small Wins is running at" not in log.read_text(errors="replace"):
                if up.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"smallwins up did not start: {log.read_text()[-2000:]}")
                time.sleep(0.3)
            who = {"pseudonym": f"Healer {uuid.uuid4().hex[:6]}", "password": "a long enough password"}
            who["email"] = f"{who['pseudonym'].split()[1]}@bench.invalid"
            assert httpx.post(f"{url}/api/members", json=who).status_code == 201
            token = httpx.post(f"{url}/api/sessions", json={"email": who["email"], "password": who["password"]})
            writer = _Writer(url, token.json()["token"])
            healed = []
            for _ in range(ROUNDS):
                time.sleep(11)  # steady again, and up long enough that the supervisor restarts at once
                victim = _journal_process(up)
                moment = time.monotonic()
                victim.kill()
                healed.append(writer.first_success_after(moment))
            ordinary = statistics.median(writer.latencies)
        finally:
            if writer is not None:
                writer.stop()
            up.send_signal(signal.SIGINT)
            up.wait(90)
    return [
        Figure(
            name="kill_to_next_write_s",
            value=statistics.median(healed),
            unit="s",
            baseline="ordinary_write_s",
            baseline_value=ordinary,
        )
    ]
