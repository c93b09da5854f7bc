"""Faults under `smallwins up` with a steady write load through the API.

One at a time: kill -9 a service, kill -9 nats-server, restart PostgreSQL. Each time the system
serves writes again within 10 s without anyone touching it, and afterwards every write the
clients were told succeeded is stored, published and applied exactly once, and nothing is parked.
"""

from __future__ import annotations

import asyncio
import json
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import asyncpg
import httpx
import msgspec
import nats
import psutil
import pytest
from nats.aio.client import Client

from shared.messages import RecordedEvent
from shared.runtime import free_port
from smallwins.registry import SERVICES
from tests.e2e.test_cli_up import _env, _eventually_free, _run

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(420)]

RETRYABLE = {500, 502, 503, 504}
HEAL_WITHIN_S = 10.0


class System:
    """`smallwins up` with its output in files (a full pipe would stall the processes)."""

    def __init__(self, env: dict[str, str], web: int, logs: Path) -> None:
        self.url = f"http://127.0.0.1:{web}"
        self.out = logs / "up.out"
        self.err = logs / "up.err"
        with self.out.open("wb") as out, self.err.open("wb") as err:
            self.proc = subprocess.Popen([sys.executable, "-m", "smallwins", "up"], env=env, stdout=out, stderr=err)
        deadline = time.monotonic() + 120
        while "Small Wins is running at" not in self.out.read_text():
            assert self.proc.poll() is None, self.err.read_text()[-3000:]
            assert time.monotonic() < deadline, "no URL printed in time"
            time.sleep(0.3)

    def process(self, match: Callable[[psutil.Process], bool]) -> psutil.Process:
        for child in psutil.Process(self.proc.pid).children(recursive=True):
            try:
                if match(child):
                    return child
            except psutil.NoSuchProcess:
                continue
        raise AssertionError("no such process under smallwins up")

    def stop(self) -> int:
        self.proc.send_signal(signal.SIGINT)
        return self.proc.wait(90)


def _service(name: str) -> Callable[[psutil.Process], bool]:
    return lambda p: p.cmdline()[-2:] == ["serve", name]


def _nats(p: psutil.Process) -> bool:
    return p.name() == "nats-server"


def _postmaster(p: psutil.Process) -> bool:
    line = p.cmdline()
    return bool(line) and line[0].endswith("/postgres") and "-D" in line


class Load:
    """Writers that keep recording journal entries (client-made ids, retried until answered) and
    a sign-up now and then; they remember what they were told succeeded, and when."""

    def __init__(self, url: str, token: str) -> None:
        self.url = url
        self.auth = {"Authorization": f"Bearer {token}"}
        self.entries: list[str] = []
        self.members: list[str] = []
        self.successes: list[float] = []
        # the journal path (web, NATS, the journal service, PostgreSQL): when each successful
        # attempt was sent, and when it was answered
        self.entry_times: list[tuple[float, float]] = []
        self.problems: list[str] = []
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._entries, daemon=True) for _ in range(2)]
        self._threads.append(threading.Thread(target=self._signups, daemon=True))

    def start(self) -> None:
        for t in self._threads:
            t.start()

    def stop(self) -> None:
        self._stop.set()
        for t in self._threads:
            t.join(60)

    def _until_answered(
        self, client: httpx.Client, path: str, body: dict[str, object], ok: set[int]
    ) -> tuple[int, float] | None:
        """POST until a definite answer; the same body each time (its id makes it idempotent).
        Returns the status and when the attempt that got it was sent."""
        while not self._stop.is_set():
            sent = time.monotonic()
            try:
                reply = client.post(f"{self.url}{path}", json=body, headers=self.auth, timeout=8)
            except httpx.HTTPError:
                time.sleep(0.2)
                continue
            if reply.status_code in RETRYABLE:
                time.sleep(0.2)
                continue
            if reply.status_code not in ok:
                self.problems.append(f"{path}: {reply.status_code} {reply.text[:200]}")
            return reply.status_code, sent
        return None

    def _entries(self) -> None:
        with httpx.Client() as client:
            while not self._stop.is_set():
                entry_id = str(uuid.uuid4())
                body = {"id": entry_id, "kind": "victory", "text": f"steady {entry_id[:8]}"}
                answer = self._until_answered(client, "/api/journal/entries", body, {201})
                if answer is not None and answer[0] == 201:
                    self.entries.append(entry_id)
                    self.successes.append(time.monotonic())
                    self.entry_times.append((answer[1], time.monotonic()))
                time.sleep(0.02)

    def _signups(self) -> None:
        with httpx.Client() as client:
            n = 0
            while not self._stop.is_set():
                n += 1
                tag = uuid.uuid4().hex[:8]
                body = {
                    "pseudonym": f"Steady {tag}",
                    "email": f"s{tag}@example.org",
                    "password": "a long enough password",
                }
                # 409 after a retry: an earlier attempt was stored though its answer was lost
                answer = self._until_answered(client, "/api/members", body, {201, 409})
                if answer is not None and answer[0] in {201, 409}:
                    self.members.append(str(body["pseudonym"]))
                    self.successes.append(time.monotonic())
                time.sleep(0.3)

    def healed_after(self, moment: float, timeout: float = 40) -> float:
        """Seconds from ``moment`` to the first success of a write sent after it (a write already in
        flight at the fault may be answered after it without the system having healed)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            later = [answered for sent, answered in list(self.entry_times) if sent > moment]
            if later:
                return min(later) - moment
            time.sleep(0.05)
        raise AssertionError(f"no write succeeded within {timeout} s of the fault")


def test_up_heals_itself_after_a_killed_service_a_killed_nats_and_a_postgres_restart(tmp_path: Path) -> None:
    web, pg, mq = free_port(), free_port(), free_port()
    env = _env(tmp_path / "data", web, pg, mq)
    # the load is a deliberate flood from one member on one address: web's rate limits are off
    env.update(SMALLWINS_SIGNUPS_PER_HOUR="0", SMALLWINS_ADDRESS_WRITES_PER_MINUTE="0")
    env.update(SMALLWINS_MEMBER_WRITES_PER_MINUTE="0")
    system = System(env, web, tmp_path)
    load: Load | None = None
    healed: dict[str, float] = {}
    try:
        member = {"pseudonym": "Steady Writer", "email": "steady@example.org", "password": "a long enough password"}
        assert httpx.post(f"{system.url}/api/members", json=member).status_code == 201
        session = httpx.post(
            f"{system.url}/api/sessions", json={"email": member["email"], "password": member["password"]}
        )
        load = Load(system.url, session.json()["token"])
        load.start()
        _wait_for(lambda: len(load.entries) >= 20)

        # which process, and what is done to it
        faults: dict[str, tuple[Callable[[psutil.Process], bool], Callable[[psutil.Process], None]]] = {
            "kill -9 journal": (_service("journal"), psutil.Process.kill),
            "kill -9 nats-server": (_nats, psutil.Process.kill),
            "restart PostgreSQL": (_postmaster, lambda p: p.send_signal(signal.SIGINT)),
        }
        for name, (which, fault) in faults.items():
            before = len(load.successes)
            _wait_for(lambda b=before: len(load.successes) >= b + 10, what=f"before {name}, after {healed}")  # type: ignore[misc]
            victim = system.process(which)
            fault(victim)
            # healing is timed from when the process is gone: PostgreSQL's fast shutdown takes a
            # moment, and a write that slipped in before it would otherwise count as healed
            victim.wait(30)
            healed[name] = load.healed_after(time.monotonic())
        # enough writes on the healed system for the checks below, however slow this machine is today
        _wait_for(lambda: len(load.entries) >= 50 and len(load.members) >= 3, what="after the faults")
        load.stop()
        assert load.problems == []
        for name, seconds in healed.items():
            assert seconds <= HEAL_WITHIN_S, f"after {name} the first write succeeded only after {seconds:.1f} s"
        asyncio.run(_check_exactly_once(pg, mq, load, tmp_path / "data"))
        parked = _run(env, "parked")
        assert parked.returncode == 0 and "No parked messages." in parked.stdout, parked.stdout + parked.stderr
        restarts = system.err.read_text()
        assert "journal stopped unexpectedly" in restarts and "NATS had stopped" in restarts, restarts[-3000:]
        assert "PostgreSQL had stopped" in restarts
    finally:
        if load is not None:
            load.stop()
        code = system.stop()
    assert code == 0, system.err.read_text()[-3000:]
    for port in (web, pg, mq):
        assert _eventually_free(port), f"port {port} still taken after Ctrl-C"


def _wait_for(condition: Callable[[], bool], timeout: float = 60, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"the load did not make progress {what}"
        time.sleep(0.05)


async def _check_exactly_once(pg: int, mq: int, load: Load, data: Path) -> None:
    secrets = data / "secrets"
    superuser = json.loads((secrets / "postgres.json").read_text())["postgres"]
    conn = await asyncpg.connect(f"postgresql://postgres:{superuser}@127.0.0.1:{pg}/smallwins")
    operator = json.loads((secrets / "nats.json").read_text())["operator"]
    nc = await nats.connect(f"nats://operator:{operator}@127.0.0.1:{mq}")
    try:
        stored = Counter(
            r[0]
            for r in await conn.fetch(
                "SELECT data->>'entry_id' FROM journal.events WHERE event_type = 'journal.entry_recorded.v1'"
            )
        )
        assert all(stored[e] == 1 for e in load.entries), "a write told succeeded is missing or stored twice"
        assert max(stored.values()) == 1
        for service in ("journal", "accounts"):
            registry = SERVICES[service].registry  # private events stay in the log (ADR 18)
            rows = await conn.fetch(f"SELECT event_id::text, event_type FROM {service}.events")
            events = {r[0] for r in rows if not registry.is_private(r[1])}
            published = await _eventually_published(nc, f"SW_{service.upper()}_EVENTS", len(events))
            assert set(published) == events and max(published.values()) == 1, f"{service}: not published once each"
        members = {r[0] for r in await conn.fetch("SELECT member_id FROM accounts.members")}
        for table in ("journal.people", "stories.people"):
            applied = await _eventually_rows(conn, f"SELECT member_id FROM {table}", len(members))
            assert Counter(applied) == Counter(members), f"{table} is not every member once"
        welcomes = await _eventually_rows(
            conn, "SELECT member_id FROM notifications.inbox WHERE kind = 'welcome'", len(members)
        )
        assert Counter(welcomes) == Counter(members), "a member was welcomed twice, or not at all"
        assert len(load.members) >= 3 and len(load.entries) >= 50
    finally:
        await nc.close()
        await conn.close()


async def _eventually_published(nc: Client, stream: str, count: int) -> Counter[str]:
    js = nc.jetstream()
    for _ in range(200):
        info = await js.stream_info(stream)
        if info.state.messages >= count:
            break
        await asyncio.sleep(0.1)
    out: Counter[str] = Counter()
    for seq in range(info.state.first_seq, info.state.last_seq + 1):
        msg = await js.get_msg(stream, seq)
        out[str(msgspec.json.decode(msg.data or b"", type=RecordedEvent).event_id)] += 1
    return out


async def _eventually_rows(conn: asyncpg.Connection, sql: str, count: int) -> list[object]:
    for _ in range(200):
        rows = [r[0] for r in await conn.fetch(sql)]
        if len(rows) >= count:
            return rows
        await asyncio.sleep(0.1)
    return rows
