"""Rebuilding the journal's entries through `smallwins rebuild`'s own code path, against a plain
SELECT of the same rows.

The journal's log is filled with real entries (journals started, victories, setbacks, moods) when it
holds fewer than ``TARGET`` events; then the command's function runs exactly as
`smallwins rebuild journal entries` does: shadow tables, the batched apply, the swap.
"""

from __future__ import annotations

import contextlib
import io
import time

import asyncpg

from bench.report import Figure
from bench.seed import seed
from shared.settings import Settings
from smallwins.commands import _migrate_all, rebuild

TARGET = 200_000
PER_MEMBER = 200


async def _events(database_url: str) -> int:
    conn = await asyncpg.connect(database_url)
    try:
        return int(await conn.fetchval("SELECT count(*) FROM journal.events"))
    finally:
        await conn.close()


async def _select_rate(database_url: str) -> float:
    conn = await asyncpg.connect(database_url)
    try:
        rows = 0
        began = time.perf_counter()
        async with conn.transaction():
            cursor = conn.cursor(
                "SELECT global_position, transaction_id::text::bigint, event_id, stream_id, stream_version, event_type,"
                " schema_version, data::text, metadata::text, recorded_at FROM journal.events"
                " ORDER BY transaction_id, global_position",
                prefetch=5000,
            )
            async for _ in cursor:
                rows += 1
        return rows / (time.perf_counter() - began)
    finally:
        await conn.close()


async def rebuild_figures(database_url: str, nats_url: str) -> list[Figure]:
    settings = Settings(database_url=database_url, nats_url=nats_url, secret_key="bench-secret")
    with contextlib.redirect_stdout(io.StringIO()):
        await _migrate_all(settings)
    have = await _events(database_url)
    if have < TARGET:
        members = (TARGET - have) // (PER_MEMBER + 1) + 1
        await seed(database_url, "bench-secret", members, PER_MEMBER, sessions=0, first=1_000_000 + have)
    total = await _events(database_url)
    select_rate = await _select_rate(database_url)
    began = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()) as said:
        code = await rebuild(settings, "journal", "entries")
    elapsed = time.perf_counter() - began
    assert code == 0 and f"from {total} events" in said.getvalue(), said.getvalue()
    return [
        Figure(
            name="rebuild_journal_entries_events_per_s",
            value=total / elapsed,
            unit="events/s",
            baseline="select_rows_per_s",
            baseline_value=select_rate,
        )
    ]
