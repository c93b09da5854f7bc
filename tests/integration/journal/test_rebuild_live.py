"""Rebuilding the journal's entries while eight writers keep appending."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
import uuid

import asyncpg
import pytest

from services.journal.events import EntryConfirmed, EntryRecorded, entry_stream
from services.journal.main import definition
from services.journal.projections import ENTRIES
from shared.db import create_pool
from shared.eventstore.store import NO_STREAM, EventStore, unit_of_work
from shared.handlers import append_and_project
from shared.messages import Metadata
from shared.projections import rebuild

pytestmark = [pytest.mark.integration, pytest.mark.timeout(120)]

NOW = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)


def _entry(journal_id: uuid.UUID, n: int) -> EntryRecorded:
    return EntryRecorded(
        entry_id=uuid.uuid4(), journal_id=journal_id, owner_id=journal_id, kind="victory", text=f"win {n}",
        occurred_on=NOW.date(), author_id=journal_id, on_behalf=False, visibility="private", recorded_at=NOW,
    )  # fmt: skip


async def _record(pool: asyncpg.Pool, store: EventStore, entry: EntryRecorded, confirm: bool) -> None:
    events: list[EntryRecorded | EntryConfirmed] = [entry]
    if confirm:
        events.append(EntryConfirmed(entry_id=entry.entry_id, confirmed_by=entry.author_id, confirmed_at=NOW))
    async with unit_of_work(pool) as conn:
        await append_and_project(
            conn, store, [ENTRIES], entry_stream(entry.entry_id), events, expected=NO_STREAM, metadata=Metadata()
        )


async def _dump(conn: asyncpg.Connection) -> list[dict[str, object]]:
    rows = await conn.fetch("SELECT * FROM journal.entries ORDER BY entry_id")
    return [dict(r) for r in rows]


async def test_a_rebuild_swaps_in_while_eight_writers_append_and_none_waits_a_second(database_url: str) -> None:
    store = EventStore("journal", definition().registry)
    pool = await create_pool(database_url, schema="journal", min_size=9, max_size=12)
    try:
        await _rebuild_under_writers(pool, store)
    finally:
        await pool.close()


async def _rebuild_under_writers(pool: asyncpg.Pool, store: EventStore) -> None:
    journal_id = uuid.uuid4()
    for start in range(0, 3000, 500):  # a log worth rebuilding
        await asyncio.gather(
            *(_record(pool, store, _entry(journal_id, n), n % 3 == 0) for n in range(start, start + 500))
        )
    rebuilding = asyncio.Event()
    waits: list[float] = []
    written_during: list[uuid.UUID] = []

    async def writer(w: int) -> None:
        n = 0
        await rebuilding.wait()
        while rebuilding.is_set():
            entry = _entry(journal_id, 10_000 * (w + 1) + n)
            started = time.perf_counter()
            await _record(pool, store, entry, n % 2 == 0)
            waits.append(time.perf_counter() - started)
            written_during.append(entry.entry_id)
            n += 1
            await asyncio.sleep(0.01)  # a steady load (flat out, eight writers in this process outpace any replay)

    writers = [asyncio.create_task(writer(w)) for w in range(8)]
    rebuilding.set()
    await asyncio.sleep(0.2)  # the writers are going
    replayed = await rebuild(pool, store, ENTRIES, batch=500)
    await asyncio.sleep(0.2)  # and keep going on the swapped-in tables
    rebuilding.clear()
    await asyncio.gather(*writers)

    assert replayed >= 3000 + 1000  # every recorded and confirmed event up to the swap
    assert written_during, "the writers wrote nothing while the rebuild ran"
    assert max(waits) < 1.0, f"a writer waited {max(waits):.2f} s"
    async with pool.acquire() as conn:
        live = await _dump(conn)
        assert {r["entry_id"] for r in live} >= set(written_during)
        assert len(live) == 3000 + len(written_during)
        await rebuild(pool, store, ENTRIES)  # from scratch, nobody writing: the same model
        assert await _dump(conn) == live
        assert await conn.fetchval("SELECT count(*) FROM pg_namespace WHERE nspname = 'journal_rebuild'") == 0
