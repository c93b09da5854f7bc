"""Rebuilding the journal's read models while writes go on: entries under eight writers, and
the people the journal's consumer builds from the accounts stream."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
import uuid
from collections.abc import Awaitable, Callable

import asyncpg
import pytest

from services.journal.events import EntryConfirmed, EntryRecorded, entry_stream
from services.journal.main import SERVICE
from services.journal.projections import ENTRIES
from shared.bus.connection import connect
from shared.bus.rpc import ServiceClient
from shared.contracts.accounts import MemberView, RegisterRequest
from shared.db import create_pool
from shared.eventstore.store import NO_STREAM, EventStore, unit_of_work
from shared.handlers import append_and_project
from shared.messages import Metadata
from shared.projections import rebuild, rebuild_from_stream
from shared.service import ServiceContext, consumer_spec
from shared.settings import Settings
from shared.testing.plugin import eventually

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
    store = EventStore("journal", SERVICE.registry)
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
        assert await conn.fetchval(r"SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'journal\_rebuild%'") == 0


async def test_a_consumer_built_read_model_is_rebuilt_from_its_stream(settings: Settings, system: object) -> None:
    nc = await connect(settings.servers()[1], name="test")
    client = ServiceClient(nc, settings.nats_prefix)
    pool = await create_pool(settings.database_url or "", schema="journal", min_size=1, max_size=3)
    try:
        for n in range(6):
            req = RegisterRequest(
                pseudonym=f"Member {n}", email=f"member{n}@example.org", password="a fine long password"
            )
            await client.call("accounts", "register", req, MemberView)

        async def people() -> list[tuple[object, str]]:
            return [tuple(r) for r in await pool.fetch("SELECT member_id, pseudonym FROM journal.people ORDER BY 1")]

        live = await eventually(lambda: _at_least(people, 6))
        await pool.execute("DELETE FROM journal.people WHERE pseudonym IN ('Member 1', 'Member 4')")  # damaged
        await pool.execute("UPDATE journal.people SET pseudonym = 'Somebody else' WHERE pseudonym = 'Member 2'")
        service = SERVICE
        (sub,) = [s for s in service.subscriptions if s.purpose == "people"]
        ctx = ServiceContext(settings=settings, pool=pool, nc=nc, store=EventStore("journal", service.registry))
        spec = consumer_spec(settings.nats_prefix, "journal", sub)
        applied = await rebuild_from_stream(
            pool, nc.jetstream(), schema="journal", tables=sub.tables, stream=spec.stream,
            filter_subjects=spec.filter_subjects, handler=sub.make_handler(ctx),
        )  # fmt: skip
        assert applied == 6
        assert await people() == live
        req = RegisterRequest(pseudonym="Member 9", email="member9@example.org", password="a fine long password")
        await client.call("accounts", "register", req, MemberView)  # the live consumer goes on
        assert len(await eventually(lambda: _at_least(people, 7))) == 7
    finally:
        await pool.close()
        await nc.close()


async def _at_least(
    probe: Callable[[], Awaitable[list[tuple[object, str]]]], count: int
) -> list[tuple[object, str]] | None:
    rows = await probe()
    return rows if len(rows) >= count else None
