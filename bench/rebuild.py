"""Replaying 1,000,000 stored events into a read model, against a plain SELECT of the same rows."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from uuid import uuid4

import asyncpg

from bench.appends import SCHEMA, Counted
from bench.report import Figure
from shared.eventstore.store import NO_STREAM, EventStore
from shared.messages import Event, EventRegistry, NewEvent
from shared.projections import Projection, rebuild

TOTAL = 1_000_000
PER_STREAM = 1000


async def _apply(conn: asyncpg.Connection, event: Event) -> None:
    await _apply_many(conn, [event])


async def _apply_many(conn: asyncpg.Connection, events: Sequence[Event]) -> None:
    buckets: Counter[int] = Counter()
    totals: Counter[int] = Counter()
    for e in events:
        if isinstance(e, Counted):
            buckets[e.n % 64] += 1
            totals[e.n % 64] += e.n
    await conn.execute(
        f"INSERT INTO {SCHEMA}.totals AS t (bucket, events, total) SELECT * FROM unnest($1::int[], $2::bigint[], $3::bigint[])"
        " ON CONFLICT (bucket) DO UPDATE SET events = t.events + EXCLUDED.events, total = t.total + EXCLUDED.total",
        list(buckets), [buckets[b] for b in buckets], [totals[b] for b in buckets],
    )  # fmt: skip


TOTALS = Projection(name="totals", tables=("totals",), apply=_apply, apply_many=_apply_many)


async def _fill(database_url: str, store: EventStore) -> None:
    conn = await asyncpg.connect(database_url)
    try:
        await conn.execute(
            f"CREATE TABLE IF NOT EXISTS {SCHEMA}.totals (bucket int PRIMARY KEY, events bigint, total bigint)"
        )
        have = await conn.fetchval(f"SELECT count(*) FROM {SCHEMA}.events WHERE stream_id LIKE 'r-%'")
        for s in range(have // PER_STREAM, TOTAL // PER_STREAM):
            async with conn.transaction():
                events = [NewEvent(event_id=uuid4(), event=Counted(n=i)) for i in range(PER_STREAM)]
                await store.append(conn, f"r-{s}", events, expected=NO_STREAM)
    finally:
        await conn.close()


async def rebuild_figures(database_url: str) -> list[Figure]:
    store = EventStore(SCHEMA, EventRegistry([Counted]))
    await _fill(database_url, store)
    pool = await asyncpg.create_pool(database_url, min_size=1, max_size=2)
    try:
        conn = await pool.acquire()
        rows = 0
        began = time.perf_counter()
        async with conn.transaction():
            cursor = conn.cursor(
                f"SELECT global_position, transaction_id::text::bigint, event_id, stream_id, stream_version, event_type,"
                f" schema_version, data::text, metadata::text, recorded_at FROM {SCHEMA}.events"
                " ORDER BY transaction_id, global_position",
                prefetch=5000,
            )
            async for _ in cursor:
                rows += 1
        select_rate = rows / (time.perf_counter() - began)
        await pool.release(conn)
        began = time.perf_counter()
        replayed = await rebuild(pool, store, TOTALS)
        rebuild_rate = replayed / (time.perf_counter() - began)
        check = await pool.fetchval(f"SELECT sum(events) FROM {SCHEMA}.totals")
        assert check >= TOTAL, "the rebuilt read model is missing events"
    finally:
        await pool.close()
    return [
        Figure(
            name="rebuild_events_per_s",
            value=rebuild_rate,
            unit="events/s",
            baseline="select_rows_per_s",
            baseline_value=select_rate,
        )
    ]
