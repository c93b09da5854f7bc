"""Single-event appends through the event store (inline read model included) against plain
single-row INSERT + COMMIT through asyncpg, on the same server, at 1, 8 and 32 writers."""

from __future__ import annotations

import asyncio
import statistics
import time
from pathlib import Path
from uuid import uuid4

import asyncpg

from bench.peer import peer_events_per_s
from bench.report import Figure
from shared.db import migrate
from shared.eventstore.store import ANY, EventStore
from shared.messages import Event, EventRegistry, NewEvent

SCHEMA = "bench"
EVENTS_PER_WRITER = {1: 2000, 8: 500, 32: 150}


class Counted(Event, tag="bench.counted.v1", frozen=True, kw_only=True):
    n: int


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


async def _writers(database_url: str, writers: int, per_writer: int, one: object) -> tuple[float, list[float]]:
    pool = await asyncpg.create_pool(database_url, min_size=writers, max_size=writers)
    latencies: list[float] = []

    async def writer(w: int) -> None:
        async with pool.acquire() as conn:
            for i in range(per_writer):
                started = time.perf_counter()
                await one(conn, f"s-{w}-{i % 50}", i)  # type: ignore[operator]
                latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(writer(w) for w in range(writers)))
    elapsed = time.perf_counter() - started
    await pool.close()
    return writers * per_writer / elapsed, latencies


async def append_figures(database_url: str) -> list[Figure]:
    await _setup(database_url)
    store = EventStore(SCHEMA, EventRegistry([Counted]))

    async def raw(conn: asyncpg.Connection, stream: str, n: int) -> None:
        async with conn.transaction():
            await conn.execute(
                f"INSERT INTO {SCHEMA}.raw (stream_id, data) VALUES ($1, $2::jsonb)", stream, f'{{"n": {n}}}'
            )

    async def append(conn: asyncpg.Connection, stream: str, n: int) -> None:
        async with conn.transaction():
            await store.append(conn, stream, [NewEvent(event_id=uuid4(), event=Counted(n=n))], expected=ANY)
            await conn.execute(
                f"INSERT INTO {SCHEMA}.counts AS c VALUES ($1, 1) ON CONFLICT (stream_id) DO UPDATE SET n = c.n + 1",
                stream,
            )

    figures: list[Figure] = []
    for writers, per_writer in EVENTS_PER_WRITER.items():
        base, _ = await _writers(database_url, writers, per_writer, raw)
        rate, latencies = await _writers(database_url, writers, per_writer, append)
        figures.append(
            Figure(
                name=f"append_{writers}_writer{'s' if writers > 1 else ''}",
                value=rate,
                unit="events/s",
                baseline=f"raw_insert_{writers}_writer{'s' if writers > 1 else ''}",
                baseline_value=base,
            )
        )
        if writers == 8:
            p99 = statistics.quantiles(latencies, n=100)[98] * 1000
            figures.append(Figure(name="append_p99_ms_8_writers", value=p99, unit="ms"))
            peer = await asyncio.to_thread(peer_events_per_s, database_url, writers, per_writer)
            figures.append(
                Figure(
                    name="peer_eventsourcing_8_writers",
                    value=peer,
                    unit="events/s",
                    baseline="append_8_writers",
                    baseline_value=rate,
                )
            )
    return figures
