"""Relay and consumers against real PostgreSQL and real NATS JetStream."""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator
from uuid import uuid4

import asyncpg
import msgspec
import nats
import pytest
import pytest_asyncio
from nats.aio.client import Client

from shared.bus.streams import ConsumerSpec, event_stream, provision_stream
from shared.consumers import ConsumerRunner
from shared.eventstore.store import ANY, EventStore
from shared.messages import NewEvent, RecordedEvent
from shared.relay import Relay
from shared.testing.plugin import Servers, eventually
from tests.support.scratch import SCHEMA, Ticked, scratch_store, ticks

pytestmark = pytest.mark.integration


class _Crash(BaseException):
    """Stands for the process dying at this point (the relay rides through ordinary errors)."""


@pytest_asyncio.fixture
async def nc(sw_servers: Servers) -> AsyncIterator[Client]:
    client = await nats.connect(sw_servers.nats_url)
    yield client
    await client.close()


async def _stream_messages(nc: Client, prefix: str) -> list[RecordedEvent]:
    js = nc.jetstream()
    name = event_stream(prefix, SCHEMA).name
    info = await js.stream_info(name)
    out = []
    for seq in range(info.state.first_seq, info.state.last_seq + 1):
        msg = await js.get_msg(name, seq)
        out.append(msgspec.json.decode(msg.data or b"", type=RecordedEvent))
    return out


async def _setup(database_url: str, nc: Client, prefix: str) -> EventStore:
    store = await scratch_store(database_url)
    await provision_stream(nc.jetstream(), event_stream(prefix, SCHEMA))
    return store


def _relay(database_url: str, store: EventStore, nc: Client, prefix: str, **kw: object) -> Relay:
    return Relay(dsn=database_url, store=store, nc=nc, prefix=prefix, service=SCHEMA, poll_interval=0.05, **kw)  # type: ignore[arg-type]


async def test_relay_publishes_every_commit_once_in_stream_order_under_concurrent_writers(
    database_url: str, nc: Client, nats_prefix: str
) -> None:
    store = await _setup(database_url, nc, nats_prefix)
    stop = asyncio.Event()
    relay = _relay(database_url, store, nc, nats_prefix, batch_size=50)
    relaying = asyncio.create_task(relay.run(stop))
    committed: list[str] = []
    rng = random.Random(11)

    async def writer(w: int) -> None:
        conn = await asyncpg.connect(database_url)
        try:
            for i in range(20):
                event = NewEvent(event_id=uuid4(), event=Ticked(n=i, writer=w))
                try:
                    async with conn.transaction():
                        await store.append(conn, f"tick-{rng.randrange(5)}", [event], expected=ANY)
                        await asyncio.sleep(rng.random() * 0.02)
                        if rng.random() < 0.2:
                            raise _Crash
                    committed.append(str(event.event_id))
                except _Crash:
                    pass
        finally:
            await conn.close()

    await asyncio.gather(*(writer(w) for w in range(16)))
    await eventually(lambda: _published(relay, len(committed)))
    stop.set()
    await relaying
    messages = await _stream_messages(nc, nats_prefix)
    ids = [str(m.event_id) for m in messages]
    assert len(ids) == len(set(ids)) == len(committed)
    assert set(ids) == set(committed)
    per_stream: dict[str, list[int]] = {}
    for m in messages:
        per_stream.setdefault(m.stream_id, []).append(m.stream_version)
    for versions in per_stream.values():
        assert versions == list(range(1, len(versions) + 1))


async def _published(relay: Relay, count: int) -> bool:
    return relay.stats.published >= count


async def test_only_one_relay_leads_and_a_standby_takes_over(database_url: str, nc: Client, nats_prefix: str) -> None:
    store = await _setup(database_url, nc, nats_prefix)
    stop_a, stop_b = asyncio.Event(), asyncio.Event()
    a, b = _relay(database_url, store, nc, nats_prefix), _relay(database_url, store, nc, nats_prefix)
    task_a = asyncio.create_task(a.run(stop_a))
    await eventually(lambda: _leader(a))
    task_b = asyncio.create_task(b.run(stop_b))
    await asyncio.sleep(0.3)
    assert a.stats.leader and not b.stats.leader
    stop_a.set()
    await task_a
    await eventually(lambda: _leader(b))
    conn = await asyncpg.connect(database_url)
    async with conn.transaction():
        await store.append(conn, "tick-s", ticks(1, 2), expected=ANY)
    await conn.close()
    await eventually(lambda: _published(b, 2))
    stop_b.set()
    await task_b


async def _leader(relay: Relay) -> bool:
    return relay.stats.leader


async def test_relay_killed_mid_batch_loses_nothing_and_consumers_apply_each_effect_once(
    database_url: str, nc: Client, nats_prefix: str
) -> None:
    store = await _setup(database_url, nc, nats_prefix)
    conn = await asyncpg.connect(database_url)
    await conn.execute(f"CREATE TABLE {SCHEMA}.effects (event_id uuid NOT NULL, n int NOT NULL)")
    for chunk in range(30):
        async with conn.transaction():
            await store.append(conn, f"tick-{chunk % 3}", ticks(*range(10)), expected=ANY)

    def crash_after_120(count: int) -> None:
        if count == 120:
            raise _Crash

    first = _relay(database_url, store, nc, nats_prefix, batch_size=200, on_published=crash_after_120)
    with pytest.raises(_Crash):
        await first.run(asyncio.Event())
    checkpoint = await conn.fetchval(f"SELECT count(*) FROM {SCHEMA}.checkpoints")
    assert checkpoint == 0, "the crashed relay must not have stored a checkpoint"

    stop = asyncio.Event()
    second = _relay(database_url, store, nc, nats_prefix, batch_size=200)
    relaying = asyncio.create_task(second.run(stop))
    await eventually(lambda: _published(second, 300 - second.stats.duplicates))
    await eventually(lambda: _stream_has(nc, nats_prefix, 300))
    messages = await _stream_messages(nc, nats_prefix)
    assert len({m.event_id for m in messages}) == len(messages) == 300

    # consumers: the effect of each event exactly once, even when a message comes again
    async def effect(c: asyncpg.Connection, event: RecordedEvent) -> None:
        tick = store.registry.decode(event.event_type, event.data)
        assert isinstance(tick, Ticked)
        await c.execute(f"INSERT INTO {SCHEMA}.effects VALUES ($1, $2)", event.event_id, tick.n)

    pool = await asyncpg.create_pool(database_url, min_size=1, max_size=4)
    assert pool is not None
    spec = ConsumerSpec(
        stream=event_stream(nats_prefix, SCHEMA).name,
        durable=f"{nats_prefix}_test-effects",
        filter_subjects=(f"{nats_prefix}.{SCHEMA}.events.>",),
        ack_wait=1.0,
    )
    runner = ConsumerRunner(pool=pool, nc=nc, schema=SCHEMA, spec=spec, handler=effect)
    from shared.bus.streams import provision_consumer

    await provision_consumer(nc.jetstream(), spec)
    sub = await nc.jetstream().pull_subscribe_bind(spec.durable, spec.stream)
    unacked = await sub.fetch(10, timeout=5)
    for msg in unacked:  # applied and committed, but the process "dies" before the ack
        await runner.apply(msgspec.json.decode(msg.data, type=RecordedEvent))
    await sub.unsubscribe()

    consuming = asyncio.create_task(runner.run(stop))
    await eventually(lambda: _effects(conn, 300), timeout=20)
    info = await eventually(lambda: _all_acked(nc, spec), timeout=20)
    assert info.num_redelivered >= 10 or info.delivered.consumer_seq > 300
    assert await conn.fetchval(f"SELECT count(*) FROM {SCHEMA}.effects") == 300
    assert await conn.fetchval(f"SELECT count(DISTINCT event_id) FROM {SCHEMA}.effects") == 300
    stop.set()
    await asyncio.gather(relaying, consuming)
    await pool.close()
    await conn.close()


async def _stream_has(nc: Client, prefix: str, count: int) -> bool:
    info = await nc.jetstream().stream_info(event_stream(prefix, SCHEMA).name)
    return bool(info.state.messages == count)


async def _effects(conn: asyncpg.Connection, count: int) -> bool:
    return bool(await conn.fetchval(f"SELECT count(*) FROM {SCHEMA}.effects") >= count)


async def _all_acked(nc: Client, spec: ConsumerSpec) -> object:
    info = await nc.jetstream().consumer_info(spec.stream, spec.durable)
    return info if info.num_pending == 0 and info.num_ack_pending == 0 else None
