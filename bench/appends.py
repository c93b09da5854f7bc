"""Single-event appends through the event store (inline read model included) against plain
single-row INSERT + COMMIT through asyncpg, on the same server, at 1, 8 and 32 writers.

Our side is what a command handler does: a unit of work on a pool made by ``shared.db``, the
append and the inline projection, then COMMIT. The baseline is the floor: each writer keeps its
own connection and runs BEGIN, one INSERT, COMMIT. The two alternate for ROUNDS rounds and each
figure is the median of its rounds, so that a burst of noise on this shared machine lands on both.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from uuid import uuid4

import asyncpg

from bench.peer import peer_events_per_s
from bench.report import Figure
from shared.db import create_pool, migrate
from shared.eventstore.store import ANY, EventStore, unit_of_work
from shared.handlers import append_and_project
from shared.messages import Event, EventRegistry, Metadata
from shared.projections import Projection

SCHEMA = "bench"
EVENTS_PER_WRITER = {1: 1000, 8: 500, 32: 150}
ROUNDS = 3


class Counted(Event, tag="bench.counted.v1", frozen=True, kw_only=True):
    n: int


async def _count(conn: asyncpg.Connection, event: Event) -> None:
    assert isinstance(event, Counted)
    await conn.execute(
        f"INSERT INTO {SCHEMA}.counts AS c VALUES ($1, 1) ON CONFLICT (stream_id) DO UPDATE SET n = c.n + 1",
        f"c-{event.n % 500}",
    )


COUNTS = Projection(name="counts", tables=("counts",), apply=_count)


async def _setup(database_url: str) -> None:
    conn = await asyncpg.connect(database_url)
    try:
        await migrate(conn, SCHEMA, Path(__file__).parent / "no_migrations")
        await conn.execute(
            f"CREATE TABLE IF NOT EXISTS {SCHEMA}.counts (stream_id text PRIMARY KEY, n bigint NOT NULL)"
        )
        await conn.execute(
            f"CREATE TABLE IF NOT EXISTS {SCHEMA}.raw (id bigserial PRIMARY KEY, stream_id text, data jsonb)"
        )
    finally:
        await conn.close()


One = Callable[[int, str, int], Awaitable[None]]  # (writer, stream, n)


async def _writers(writers: int, per_writer: int, one: One) -> tuple[float, list[float]]:
    """Events/s of ``writers`` concurrent writers, and each transaction's latency."""
    latencies: list[float] = []

    async def writer(w: int) -> None:
        for i in range(per_writer):
            started = time.perf_counter()
            await one(w, f"s-{w}-{i % 50}", i)
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(writer(w) for w in range(writers)))
    return writers * per_writer / (time.perf_counter() - started), latencies


async def raw_rate(database_url: str, writers: int, per_writer: int) -> float:
    conns = [await asyncpg.connect(database_url) for _ in range(writers)]
    sql = f"INSERT INTO {SCHEMA}.raw (stream_id, data) VALUES ($1, $2::jsonb)"

    async def raw(w: int, stream: str, n: int) -> None:
        conn = conns[w]
        async with conn.transaction():
            await conn.execute(sql, stream, f'{{"n": {n}}}')

    try:
        return (await _writers(writers, per_writer, raw))[0]
    finally:
        for conn in conns:
            await conn.close()


async def append_rate(
    database_url: str, writers: int, per_writer: int, *, read_model: bool = True, pooled: bool = True
) -> tuple[float, list[float]]:
    """The append path; ``pooled=False`` gives each writer its own connection, as the baseline has
    (the breakdown uses it to show what the pool costs)."""
    store = EventStore(SCHEMA, EventRegistry([Counted]))
    pool = await create_pool(database_url, min_size=writers, max_size=writers)
    conns = [] if pooled else [await asyncpg.connect(database_url) for _ in range(writers)]
    models = (COUNTS,) if read_model else ()

    async def one(conn: asyncpg.Connection, stream: str, n: int) -> None:
        await append_and_project(
            conn, store, models, stream, [Counted(n=n)], expected=ANY, metadata=Metadata(), event_ids=[uuid4()]
        )

    async def append(w: int, stream: str, n: int) -> None:
        if pooled:
            async with unit_of_work(pool) as conn:
                await one(conn, stream, n)
        else:
            async with conns[w].transaction():
                await one(conns[w], stream, n)

    try:
        return await _writers(writers, per_writer, append)
    finally:
        await pool.close()
        for conn in conns:
            await conn.close()


def _plural(writers: int) -> str:
    return f"{writers}_writer{'s' if writers > 1 else ''}"


async def append_figures(database_url: str) -> list[Figure]:
    await _setup(database_url)
    figures: list[Figure] = []
    for writers, per_writer in EVENTS_PER_WRITER.items():
        bases, rates, latencies = [], [], []
        for _ in range(ROUNDS):
            bases.append(await raw_rate(database_url, writers, per_writer))
            rate, lat = await append_rate(database_url, writers, per_writer)
            rates.append(rate)
            latencies += lat
        base, rate = statistics.median(bases), statistics.median(rates)
        figures.append(
            Figure(
                name=f"append_{_plural(writers)}",
                value=rate,
                unit="events/s",
                baseline=f"raw_insert_{_plural(writers)}",
                baseline_value=base,
            )
        )
        if writers == 8:
            p99 = statistics.quantiles(latencies, n=100)[98] * 1000
            figures.append(Figure(name="append_p99_ms_8_writers", value=p99, unit="ms"))
        if writers in (1, 8):  # at 1 writer too: how the peer scales with writers, against us
            peer = statistics.median(
                [await asyncio.to_thread(peer_events_per_s, database_url, writers, per_writer) for _ in range(ROUNDS)]
            )
            figures.append(
                Figure(
                    name=f"peer_eventsourcing_{_plural(writers)}",
                    value=peer,
                    unit="events/s",
                    baseline=f"append_{_plural(writers)}",
                    baseline_value=rate,
                )
            )
    return figures
