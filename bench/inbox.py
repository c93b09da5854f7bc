"""The live inbox (ADR 27 and 30): from an encouragement's commit to its author's inbox row and to
the author's open ``GET /inbox/live`` stream, at a steady 200 encouragements/s; and one web
process holding 10,000 open streams (its memory per stream, and the same latency meanwhile).

The whole system runs as separate processes (as `smallwins up` runs it), on a database of its own.
10,000 members with sessions (bench/seed.py) each have one published story; the story events are
appended through the stories service's event store with its projections (as bench/seed.py
appends), because encouraging needs the story in the stories log. **Encouragements go through
the stories service** (the ``encourage`` verb over NATS, as web calls it), each by a member who
has not encouraged that story, to a story whose author has not been encouraged yet, so that each
makes exactly one new inbox item. Its commit is timed by a clock read as the verb's reply arrives
(just after the commit). The inbox row is found by polling the read model every 2 ms for the
members whose encouragement is on its way; the stream's change by reading it (bench/sse.py); all
in this one process, on one clock.

Phases: streams for the first 3,000 authors, 200/s for 15 s to them (the 200/s figures); then
streams for the other 7,000 (10,000 open), the web process's RSS before the first stream and now,
divided by the streams open; then 200/s for 25 s (a heartbeat round falls inside) to 5,000 of the
newly connected authors (the ``_10k`` figures). Web's processor time per encouragement is taken
over each of the two runs. The client keeps its own garbage collector from stalling it while it
times arrivals (``_settle``).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import gc
import statistics
import time
import uuid

import asyncpg
import nats
import psutil
from nats.aio.client import Client

from bench.growth import _database
from bench.pages import _migrate, _people_known, _start, _wait_ready
from bench.report import Figure
from bench.seed import _append, seed
from bench.sse import LiveStream, open_all, raise_open_files
from services.accounts.handlers import token_hash
from services.stories.events import REGISTRY as STORIES
from services.stories.events import PostPublished, StorySubmitted, post_stream
from services.stories.projections import PROJECTIONS as STORY_MODELS
from shared.bus.rpc import ServiceClient
from shared.contracts.common import Acting
from shared.contracts.stories import ENCOURAGE, EncourageRequest
from shared.crypto import new_key, seal
from shared.eventstore.store import EventStore
from shared.runtime import free_port

MEMBERS, FIRST_STREAMS, RATE = 10_000, 3_000, 200
STEADY_S, WHILE_OPEN_S = 15, 25
PREFIX = "inboxbench"
_ARRIVED = "SELECT member_id FROM notifications.inbox WHERE member_id = ANY($1) AND kind = 'encouraged'"


class Member:
    __slots__ = ("member_id", "name", "story_id", "token")

    def __init__(self, token: str, member_id: uuid.UUID, name: str) -> None:
        self.token, self.member_id, self.name = token, member_id, name
        self.story_id = uuid.uuid4()


async def _members(url: str, tokens: list[str]) -> list[Member]:
    conn = await asyncpg.connect(url)
    try:
        rows = await conn.fetch(
            "SELECT s.token_hash, s.member_id, m.pseudonym FROM accounts.sessions s"
            " JOIN accounts.members m USING (member_id)"
        )
    finally:
        await conn.close()
    by_hash = {r[0]: (r[1], r[2]) for r in rows}
    return [Member(t, *by_hash[token_hash(t)]) for t in tokens]


async def _stories(url: str, members: list[Member]) -> None:
    """One published story per member, through the stories event store and its projections."""
    store, now = EventStore("stories", STORIES), dt.datetime.now(dt.UTC)
    conn = await asyncpg.connect(url, server_settings={"search_path": "stories, public"})
    try:
        for start in range(0, len(members), 500):
            async with conn.transaction():
                for m in members[start : start + 500]:
                    key = new_key()
                    submitted = StorySubmitted(
                        item_id=m.story_id, author_id=m.member_id, pseudonym=seal(key, m.name, m.member_id),
                        title=seal(key, "A walk", m.member_id),
                        body=seal(key, "I went round the block.", m.member_id), themes=("small-wins",), warnings=(),
                        urgent=False, direct=True, submitted_at=now,
                    )  # fmt: skip
                    published = PostPublished(
                        item_id=m.story_id, kind="story", story_id=m.story_id, story_author_id=m.member_id,
                        author_id=m.member_id, published_at=now,
                    )  # fmt: skip
                    await _append(conn, store, STORY_MODELS, post_stream(m.story_id), [submitted, published])
    finally:
        await conn.close()


async def _inbox_knows(url: str, members: int) -> None:
    """Until notifications has heard of every member and every story (its consumers are caught up)."""
    conn = await asyncpg.connect(url)
    try:
        while True:
            people = await conn.fetchval("SELECT count(*) FROM notifications.people")
            posts = await conn.fetchval("SELECT count(*) FROM notifications.posts")
            if people >= members and posts >= members:
                return
            await asyncio.sleep(0.5)
    finally:
        await conn.close()


class Run:
    """One steady run of encouragements: when each was committed and when its effects were seen."""

    def __init__(self, authors: list[Member], everyone: list[Member]) -> None:
        self.authors = authors  # each is encouraged by the member after them, who has not done so yet
        after = {m.member_id: everyone[(i + 1) % len(everyone)] for i, m in enumerate(everyone)}
        self.readers = {a.member_id: after[a.member_id] for a in authors}
        self.committed: dict[uuid.UUID, float] = {}
        self.on_way: set[uuid.UUID] = set()
        self.row_seen: dict[uuid.UUID, float] = {}
        self.failed = 0

    async def drive(self, client: ServiceClient, rate: int) -> float:
        """Encourages each author's story at ``rate`` a second; returns the rate reached."""
        began = time.perf_counter()

        async def one(k: int, author: Member) -> None:
            await asyncio.sleep(max(0.0, began + k / rate - time.perf_counter()))
            reader = self.readers[author.member_id]
            self.on_way.add(author.member_id)
            try:
                await client.ask(
                    ENCOURAGE, EncourageRequest(story_id=author.story_id, kind="proud"),
                    actor=Acting(member_id=reader.member_id, pseudonym=reader.name),
                )  # fmt: skip
            except Exception:  # noqa: BLE001 -- counted and reported: a benchmark goes on
                self.failed += 1
                self.on_way.discard(author.member_id)
                return
            self.committed[author.member_id] = time.perf_counter()

        await asyncio.gather(*(one(k, a) for k, a in enumerate(self.authors)))
        return len(self.authors) / (time.perf_counter() - began)

    async def poll_rows(self, url: str, until: asyncio.Event) -> None:
        conn = await asyncpg.connect(url)
        try:
            while not until.is_set() or self.on_way:
                if self.on_way:
                    rows = await conn.fetch(_ARRIVED, list(self.on_way))
                    now = time.perf_counter()
                    for r in rows:
                        self.row_seen.setdefault(r[0], now)
                        self.on_way.discard(r[0])
                await asyncio.sleep(0.002)
        finally:
            await conn.close()

    async def measure(self, url: str, client: ServiceClient, streams: dict[uuid.UUID, LiveStream]) -> float:
        until = asyncio.Event()
        polling = asyncio.create_task(self.poll_rows(url, until))
        reached = await self.drive(client, RATE)
        until.set()
        try:
            await asyncio.wait_for(polling, 30)
        except TimeoutError:
            print(f"inbox: {len(self.on_way)} encouragements never reached an inbox row")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(not self._arrival(streams[a]) for a in self.committed):
            await asyncio.sleep(0.2)
        return reached

    @staticmethod
    def _arrival(stream: LiveStream) -> float | None:
        later = [t for p, t in stream.arrived.items() if p > stream.first]
        return min(later) if later else None

    def lags(self, streams: dict[uuid.UUID, LiveStream]) -> tuple[list[float], list[float]]:
        rows = [(self.row_seen[a] - t) * 1000 for a, t in self.committed.items() if a in self.row_seen]
        arrivals = {a: self._arrival(streams[a]) for a in self.committed}
        sse = [(at - self.committed[a]) * 1000 for a, at in arrivals.items() if at is not None]
        missing = len(self.committed) - len(sse)
        if missing or self.failed:
            print(f"inbox: {self.failed} encouragements failed, {missing} never reached their stream")
        return rows, sse


def _settle() -> None:
    """This load client keeps what it holds (its members, its ten thousand streams) out of its own
    garbage collector's full passes: one of them over all that stalled it for up to 3 s while it
    was timing arrivals, which counted as lateness of the system measured (ADR 30)."""
    gc.collect()
    gc.freeze()


def _rss(pid: int) -> int:
    proc = psutil.Process(pid)
    return proc.memory_info().rss + sum(c.memory_info().rss for c in proc.children(recursive=True))


def _cpu_s(pid: int) -> float:
    times = psutil.Process(pid).cpu_times()
    return float(times.user + times.system)


def _cpu_figure(name: str, web: int, since: float, events: int) -> Figure:
    """Web's processor time over a run (its streams' heartbeats included) per encouragement: a
    cost, not a wait, so it hardly moves when neighbours take the cores."""
    return Figure(name=name, value=(_cpu_s(web) - since) * 1000 / max(events, 1), unit="ms")


def _quantiles(name: str, lags: list[float]) -> list[Figure]:
    q = statistics.quantiles(lags, n=100)
    return [
        Figure(name=f"{name}_p50_ms", value=q[49], unit="ms"),
        Figure(name=f"{name}_p99_ms", value=q[98], unit="ms"),
    ]


async def inbox_figures(admin_url: str, nats_url: str) -> list[Figure]:
    limit = raise_open_files(MEMBERS * 2 + 1000)  # the client's sockets here; web inherits the limit
    secret, url = "benchmark-secret", await _database(admin_url, "inbox_bench")
    await _migrate(url)
    members = await _members(url, await seed(url, secret, MEMBERS, 0, MEMBERS))
    await _stories(url, members)
    port = free_port()
    procs = _start(url, nats_url, port, secret, prefix=PREFIX)
    nc = await nats.connect(nats_url)
    streams = {m.member_id: LiveStream(m.token) for m in members}
    try:
        await asyncio.to_thread(_wait_ready, f"http://127.0.0.1:{port}")
        await asyncio.wait_for(asyncio.gather(_people_known(url, MEMBERS), _inbox_knows(url, MEMBERS)), 600)
        return await _measure(url, nats_url, port, procs["web"].pid, members, streams, limit, nc)
    finally:
        await asyncio.gather(*(s.close() for s in streams.values()))
        await nc.close()
        for proc in procs.values():
            proc.terminate()
        for proc in procs.values():
            proc.wait(20)


async def _measure(
    url: str, nats_url: str, port: int, web: int, members: list[Member],
    streams: dict[uuid.UUID, LiveStream], limit: int, nc: Client,
) -> list[Figure]:  # fmt: skip
    client = ServiceClient(nc, PREFIX)
    warm = LiveStream(members[-1].token)  # the first stream pays for imports and caches, not for itself
    await warm.open("127.0.0.1", port)
    await warm.close()
    await asyncio.sleep(1)
    _settle()
    before = _rss(web)
    first = [streams[m.member_id] for m in members[:FIRST_STREAMS]]
    await open_all(first, "127.0.0.1", port)
    steady, cpu = Run(members[:FIRST_STREAMS], members), _cpu_s(web)
    rate = await steady.measure(url, client, streams)
    rows, sse = steady.lags(streams)
    figures = [*_quantiles("inbox_row", rows), *_quantiles("inbox_live", sse)]
    figures.append(Figure(name="inbox_encouragements_per_s", value=rate, unit="events/s"))
    figures.append(_cpu_figure("web_cpu_ms_per_encouragement", web, cpu, len(steady.committed)))
    began = time.perf_counter()
    await open_all([streams[m.member_id] for m in members[FIRST_STREAMS:]], "127.0.0.1", port)
    opening = time.perf_counter() - began
    _settle()
    await asyncio.sleep(2)
    held = sum(s.open_now for s in streams.values())
    per_stream = (_rss(web) - before) / max(held, 1) / 1024
    figures += [
        Figure(name="live_streams_open", value=held, unit="streams"),
        Figure(name="live_streams_opened_per_s", value=(held - FIRST_STREAMS) / opening, unit="streams/s"),
        Figure(name="web_rss_kib_per_stream", value=per_stream, unit="KiB"),
    ]
    print(f"inbox: {held} streams open (open-files limit {limit})")
    later = [m for m in members[FIRST_STREAMS:] if streams[m.member_id].open_now][: RATE * WHILE_OPEN_S]
    crowded, cpu = Run(later, members), _cpu_s(web)
    rate = await crowded.measure(url, client, streams)
    rows, sse = crowded.lags(streams)
    figures += [*_quantiles("inbox_row_10k", rows), *_quantiles("inbox_live_10k", sse)]
    figures.append(Figure(name="inbox_encouragements_per_s_10k", value=rate, unit="events/s"))
    figures.append(_cpu_figure("web_cpu_ms_per_encouragement_10k", web, cpu, len(crowded.committed)))
    figures.append(
        Figure(name="live_streams_still_open", value=sum(s.open_now for s in streams.values()), unit="streams")
    )
    return figures
