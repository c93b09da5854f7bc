"""How the relay hears of new events without a NOTIFY in the commit (ADR 0005).

Every relay here polls only once a minute, so an event published within the test's few seconds
was delivered by a wake-up, not by the fallback poll.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import asyncpg
import nats
import pytest
import pytest_asyncio
from nats.aio.client import Client

from shared.bus.streams import event_stream, provision_stream
from shared.db import create_pool
from shared.eventstore.store import ANY, EventStore, unit_of_work
from shared.relay import Relay
from shared.testing.plugin import Servers, eventually
from tests.support.scratch import SCHEMA, scratch_store, ticks

pytestmark = pytest.mark.integration

NEVER_POLLS = 60.0


@pytest_asyncio.fixture
async def nc(sw_servers: Servers) -> AsyncIterator[Client]:
    client = await nats.connect(sw_servers.nats_url)
    yield client
    await client.close()


@pytest_asyncio.fixture
async def pool(database_url: str) -> AsyncIterator[asyncpg.Pool]:
    made = await create_pool(database_url, max_size=3)
    yield made
    await made.close()


async def _store(database_url: str, nc: Client, prefix: str) -> EventStore:
    store = await scratch_store(database_url)
    await provision_stream(nc.jetstream(), event_stream(prefix, SCHEMA))
    return store


def _relay(database_url: str, store: EventStore, nc: Client, prefix: str) -> Relay:
    return Relay(dsn=database_url, store=store, nc=nc, prefix=prefix, service=SCHEMA, poll_interval=NEVER_POLLS)


@contextlib.asynccontextmanager
async def _leading_relay(database_url: str, store: EventStore, nc: Client, prefix: str) -> AsyncIterator[Relay]:
    relay, stop = _relay(database_url, store, nc, prefix), asyncio.Event()
    relaying = asyncio.create_task(relay.run(stop))
    try:
        await eventually(lambda: _leading(relay))
        yield relay
    finally:
        stop.set()
        await relaying


async def _published(relay: Relay, count: int) -> bool:
    return relay.stats.published >= count


async def _leading(relay: Relay) -> bool:
    return relay.stats.leader


async def test_commit_listeners_hear_of_committed_appends_only(database_url: str, pool: asyncpg.Pool) -> None:
    store = await scratch_store(database_url)
    heard: list[str] = []
    store.on_commit(lambda: heard.append("committed"))

    async with unit_of_work(pool) as conn:
        await conn.fetchval("SELECT 1")  # a unit of work that appends nothing
    assert heard == []

    async def fails_after_appending() -> None:
        async with unit_of_work(pool) as conn:
            await store.append(conn, "tick-r", ticks(1), expected=ANY)
            raise RuntimeError("the handler fails after appending")

    with pytest.raises(RuntimeError):
        await fails_after_appending()
    assert heard == [], "a rolled-back append must not wake anyone"
    async with pool.acquire() as conn:
        assert await store.stream_version(conn, "tick-r") == 0

    async with unit_of_work(pool) as conn:
        await store.append(conn, "tick-c", ticks(1), expected=ANY)
        await store.append(conn, "tick-d", ticks(2), expected=ANY)
    assert heard == ["committed"], "one unit of work, one wake-up"


async def test_the_leader_is_woken_by_a_commit_in_its_own_process(
    database_url: str, pool: asyncpg.Pool, nc: Client, nats_prefix: str
) -> None:
    store = await _store(database_url, nc, nats_prefix)
    async with _leading_relay(database_url, store, nc, nats_prefix) as relay:
        await asyncio.sleep(0.2)  # the relay has read the empty log and now waits
        async with unit_of_work(pool) as conn:
            await store.append(conn, "tick-1", ticks(1, 2), expected=ANY)
        await eventually(lambda: _published(relay, 2))


async def test_a_standby_copy_wakes_the_leader_over_nats(
    database_url: str, pool: asyncpg.Pool, nc: Client, nats_prefix: str
) -> None:
    # two copies of one service: each with its own store and relay, as two processes have
    leader_store = await _store(database_url, nc, nats_prefix)
    standby_store = EventStore(SCHEMA, leader_store.registry)
    standby = _relay(database_url, standby_store, nc, nats_prefix)
    async with _leading_relay(database_url, leader_store, nc, nats_prefix) as leader:
        stop = asyncio.Event()
        standing_by = asyncio.create_task(standby.run(stop))
        await asyncio.sleep(0.2)
        assert not standby.stats.leader
        async with unit_of_work(pool) as conn:  # the request landed on the standby copy
            await standby_store.append(conn, "tick-2", ticks(1), expected=ANY)
        await eventually(lambda: _published(leader, 1))
        assert standby.stats.published == 0
        stop.set()
        await standing_by


async def test_events_held_back_by_an_older_transaction_follow_as_soon_as_it_ends(
    database_url: str, pool: asyncpg.Pool, nc: Client, nats_prefix: str
) -> None:
    store = await _store(database_url, nc, nats_prefix)
    async with _leading_relay(database_url, store, nc, nats_prefix) as relay:
        older = await asyncpg.connect(database_url)
        tx = older.transaction()
        await tx.start()
        await older.fetchval("SELECT pg_current_xact_id()")  # holds a transaction id, appends nothing
        async with unit_of_work(pool) as conn:
            await store.append(conn, "tick-3", ticks(1), expected=ANY)
        await asyncio.sleep(0.3)
        assert relay.stats.published == 0, "an event past the horizon must wait for the older transaction"
        await tx.commit()  # no append, so no wake-up: the relay looks again by itself
        await eventually(lambda: _published(relay, 1))
        await older.close()


async def test_schemas_made_before_the_change_lose_their_notify_trigger(database_url: str) -> None:
    conn = await asyncpg.connect(database_url)
    try:
        await scratch_store(database_url)
        await conn.execute(
            f"CREATE FUNCTION {SCHEMA}.notify_events() RETURNS trigger LANGUAGE plpgsql AS $$"
            f" BEGIN PERFORM pg_notify('{SCHEMA}_events', ''); RETURN NULL; END $$;"
            f" CREATE TRIGGER events_notify AFTER INSERT ON {SCHEMA}.events"
            f" FOR EACH STATEMENT EXECUTE FUNCTION {SCHEMA}.notify_events();"
            f" DELETE FROM {SCHEMA}.schema_migrations WHERE name = '0000_kernel_0001_no_notify.sql'"
        )
        await scratch_store(database_url)  # migrates again: the kernel step runs once more
        triggers = await conn.fetchval(
            "SELECT count(*) FROM pg_trigger WHERE tgname = 'events_notify' AND tgrelid = $1::regclass",
            f"{SCHEMA}.events",
        )
        assert triggers == 0
    finally:
        await conn.close()
