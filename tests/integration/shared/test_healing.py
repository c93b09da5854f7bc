"""Consumers and relays that heal: through a PostgreSQL restart, poison parked and replayed,
settings that drifted refused. Each test that restarts a server gets servers of its own."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from uuid import UUID

import asyncpg
import msgspec
import nats
import pytest
import pytest_asyncio
from nats.aio.client import Client

from services.journal.main import SERVICE as JOURNAL
from shared.bus.streams import ConfigDrift, ConsumerSpec, event_stream, provision_consumer, provision_stream
from shared.consumers import ConsumerRunner
from shared.eventstore.store import ANY, EventStore
from shared.failures import is_transient
from shared.messages import Metadata, RecordedEvent
from shared.parked import list_parked, replay
from shared.relay import Relay
from shared.runtime import EmbeddedServers, free_port
from shared.service import consumer_spec, run_service
from shared.settings import Settings
from shared.testing.plugin import Servers, eventually
from tests.support.scratch import SCHEMA, Ticked, scratch_store, ticks

pytestmark = [pytest.mark.integration, pytest.mark.timeout(180)]


@pytest.fixture
def own_servers(tmp_path: Path) -> Iterator[EmbeddedServers]:
    servers = EmbeddedServers(tmp_path / "servers", postgres_port=free_port(), nats_port=free_port(), fast_unsafe=True)
    servers.start()
    try:
        yield servers
    finally:
        servers.stop()


@pytest_asyncio.fixture
async def nc(sw_servers: Servers) -> AsyncIterator[Client]:
    client = await nats.connect(sw_servers.nats_url)
    yield client
    await client.close()


def _spec(prefix: str, purpose: str, **kw: object) -> ConsumerSpec:
    return ConsumerSpec(
        stream=event_stream(prefix, SCHEMA).name,
        durable=f"{prefix}_test-{purpose}",
        filter_subjects=(f"{prefix}.{SCHEMA}.events.>",),
        **kw,  # type: ignore[arg-type]
    )


def _effect(store: EventStore) -> object:
    async def effect(c: asyncpg.Connection, event: RecordedEvent) -> None:
        tick = store.registry.decode(event.event_type, event.data)
        assert isinstance(tick, Ticked)
        await c.execute(f"INSERT INTO {SCHEMA}.effects VALUES ($1, $2)", event.event_id, tick.n)

    return effect


async def _writer(database_url: str, store: EventStore, stop: asyncio.Event, committed: list[UUID]) -> None:
    """Append one event at a time until ``stop``; remember those whose commit was confirmed."""
    n = 0
    while not stop.is_set():
        try:
            conn = await asyncpg.connect(database_url, timeout=2)
        except Exception as exc:
            if not is_transient(exc):  # the server is restarting: try again; anything else fails
                raise
            await asyncio.sleep(0.1)
            continue
        try:
            while not stop.is_set():
                batch = ticks(n)
                async with conn.transaction():
                    await store.append(conn, f"tick-{n % 7}", batch, expected=ANY)
                committed.append(batch[0].event_id)  # told it succeeded: it must come out the other end
                n += 1
                await asyncio.sleep(0.005)
        except Exception as exc:
            if not is_transient(exc):  # the connection cut by the restart: reconnect
                raise
        finally:
            with contextlib.suppress(Exception):
                await conn.close(timeout=1)


async def test_relay_and_consumer_ride_through_a_postgres_restart(
    own_servers: EmbeddedServers, nats_prefix: str
) -> None:
    url = own_servers.database_url
    store = await scratch_store(url)
    setup = await asyncpg.connect(url)
    await setup.execute(f"CREATE TABLE {SCHEMA}.effects (event_id uuid NOT NULL, n int NOT NULL)")
    await setup.close()
    client = await nats.connect(own_servers.nats_url)
    await provision_stream(client.jetstream(), event_stream(nats_prefix, SCHEMA))
    pool = await asyncpg.create_pool(url, min_size=1, max_size=4)
    assert pool is not None
    spec = _spec(nats_prefix, "restart")
    runner = ConsumerRunner(pool=pool, nc=client, schema=SCHEMA, spec=spec, handler=_effect(store))  # type: ignore[arg-type]
    relay = Relay(dsn=url, store=store, nc=client, prefix=nats_prefix, service=SCHEMA, poll_interval=0.05)
    stop, writing = asyncio.Event(), asyncio.Event()
    committed: list[UUID] = []
    tasks = [
        asyncio.create_task(relay.run(stop)),
        asyncio.create_task(runner.run(stop)),
        asyncio.create_task(_writer(url, store, writing, committed)),
    ]
    await eventually(lambda: _at_least(committed, 50), timeout=30)
    await asyncio.to_thread(own_servers.restart_postgres)
    before = len(committed)
    await eventually(lambda: _at_least(committed, before + 50), timeout=60)  # writes go on after it
    writing.set()
    await tasks[2]

    check = await asyncpg.connect(url)
    try:
        await eventually(lambda: _effects(check, len(committed)), timeout=60)
        rows = await check.fetch(f"SELECT event_id, count(*) AS times FROM {SCHEMA}.effects GROUP BY event_id")
        assert {r["event_id"] for r in rows} >= set(committed)
        assert all(r["times"] == 1 for r in rows), "an event was applied twice"
        assert await list_parked(check, SCHEMA) == [], "a restart must not park anything"
        assert runner.running and not tasks[0].done() and not tasks[1].done()
    finally:
        stop.set()
        await asyncio.gather(*tasks[:2])
        await check.close()
        await pool.close()
        await client.close()


async def _at_least(items: list[UUID], count: int) -> bool:
    return len(items) >= count


async def _effects(conn: asyncpg.Connection, count: int) -> bool:
    return bool(await conn.fetchval(f"SELECT count(DISTINCT event_id) FROM {SCHEMA}.effects") >= count)


async def test_poison_is_parked_listed_and_replayed_once_the_cause_is_fixed(
    database_url: str, nc: Client, nats_prefix: str
) -> None:
    store = await scratch_store(database_url)
    conn = await asyncpg.connect(database_url)
    await conn.execute(f"CREATE TABLE {SCHEMA}.effects (event_id uuid NOT NULL, n int NOT NULL)")
    await conn.execute(f"CREATE TABLE {SCHEMA}.broken (n int PRIMARY KEY)")
    await conn.execute(f"INSERT INTO {SCHEMA}.broken VALUES (2)")
    await provision_stream(nc.jetstream(), event_stream(nats_prefix, SCHEMA))
    effect = _effect(store)

    async def fails_on_broken(c: asyncpg.Connection, event: RecordedEvent) -> None:
        tick = store.registry.decode(event.event_type, event.data)
        assert isinstance(tick, Ticked)
        if await c.fetchval(f"SELECT true FROM {SCHEMA}.broken WHERE n = $1", tick.n):
            raise ValueError(f"tick {tick.n} cannot be applied")
        await effect(c, event)  # type: ignore[operator]

    pool = await asyncpg.create_pool(database_url, min_size=1, max_size=2)
    assert pool is not None
    spec = _spec(nats_prefix, "poison")
    runner = ConsumerRunner(
        pool=pool, nc=nc, schema=SCHEMA, spec=spec, handler=fails_on_broken, max_attempts=3, retry_delay=0.05
    )
    stop = asyncio.Event()
    tasks = [asyncio.create_task(runner.run(stop))]
    await nc.jetstream().publish(f"{nats_prefix}.{SCHEMA}.events.garbage", b"not json at all")
    async with conn.transaction():
        await store.append(conn, "tick-p", ticks(1, 2, 3), expected=ANY)
    tasks.append(
        asyncio.create_task(Relay(dsn=database_url, store=store, nc=nc, prefix=nats_prefix, service=SCHEMA).run(stop))
    )

    parked = await eventually(lambda: _parked(conn, 2), timeout=30)
    assert sorted(p.deliveries for p in parked) == [1, 3]
    garbage, poison = sorted(parked, key=lambda p: p.deliveries)
    assert "undecodable" in garbage.error and garbage.event_id is None
    assert "tick 2 cannot be applied" in poison.error and poison.consumer == spec.durable
    assert sorted(await conn.fetchval(f"SELECT array_agg(n) FROM {SCHEMA}.effects")) == [1, 3]

    still = await replay(pool, SCHEMA, {spec.durable: runner}, [poison.id])  # not fixed yet
    assert poison.id in still.failed and "tick 2" in still.failed[poison.id]
    await conn.execute(f"DELETE FROM {SCHEMA}.broken")  # the operator fixes the cause
    done = await replay(pool, SCHEMA, {spec.durable: runner}, None)
    assert done.applied == [poison.id]
    assert "undecodable" in done.failed[garbage.id]
    assert sorted(await conn.fetchval(f"SELECT array_agg(n) FROM {SCHEMA}.effects")) == [1, 2, 3]
    assert [p.id for p in await list_parked(conn, SCHEMA)] == [garbage.id]
    again = await replay(pool, SCHEMA, {spec.durable: runner}, [poison.id])
    assert again.failed == {poison.id: "no parked message has this id"} and again.applied == []
    assert await conn.fetchval(f"SELECT count(*) FROM {SCHEMA}.effects") == 3
    stop.set()
    await asyncio.gather(*tasks)
    await pool.close()
    await conn.close()


async def _parked(conn: asyncpg.Connection, count: int) -> list[object] | None:
    rows = await list_parked(conn, SCHEMA)
    return rows if len(rows) >= count else None  # type: ignore[return-value]


async def test_a_changed_consumer_setting_is_refused_with_what_differs_and_how_to_fix_it(
    nc: Client, nats_prefix: str
) -> None:
    js = nc.jetstream()
    await provision_stream(js, event_stream(nats_prefix, SCHEMA))
    await provision_consumer(js, _spec(nats_prefix, "drift"))
    await provision_consumer(js, _spec(nats_prefix, "drift"))  # the same settings: fine
    with pytest.raises(ConfigDrift) as refused:
        await provision_consumer(js, _spec(nats_prefix, "drift", max_ack_pending=500))
    message = str(refused.value)
    assert "max_ack_pending: the server has 1000, the code declares 500" in message
    assert "Fix: run `smallwins reconcile`" in message
    fixed = await provision_consumer(js, _spec(nats_prefix, "drift", max_ack_pending=500), fix=True)
    assert fixed == [
        f"consumer {nats_prefix}_test-drift: max_ack_pending: the server has 1000, the code declares 500; re-created"
    ]
    assert await provision_consumer(js, _spec(nats_prefix, "drift", max_ack_pending=500)) == []
    info = await js.consumer_info(event_stream(nats_prefix, SCHEMA).name, f"{nats_prefix}_test-drift")
    assert info.config.max_ack_pending == 500
    with pytest.raises(ConfigDrift, match=r"ack_wait: the server has 6\.0, the code declares 30\.0"):
        await provision_consumer(js, _spec(nats_prefix, "drift", ack_wait=30.0))
    stream = event_stream(nats_prefix, SCHEMA)
    with pytest.raises(ConfigDrift, match="duplicate_window"):
        await provision_stream(js, type(stream)(name=stream.name, subjects=stream.subjects, duplicate_window=60.0))
    with pytest.raises(ConfigDrift, match="max_age"):
        await provision_stream(js, type(stream)(name=stream.name, subjects=stream.subjects, max_age=3600.0))
    longer = type(stream)(name=stream.name, subjects=stream.subjects, max_age=3600.0)
    assert await provision_stream(js, longer, fix=True) == [
        f"stream {stream.name}: max_age: the server has 0.0, the code declares 3600.0; updated"
    ]
    assert (await js.stream_info(stream.name)).config.max_age == 3600.0


async def test_a_service_whose_consumer_drifted_does_not_start(settings: Settings, nc: Client) -> None:
    service = JOURNAL
    sub = service.subscriptions[0]
    spec = consumer_spec(settings.nats_prefix, "journal", sub)
    js = nc.jetstream()
    await provision_stream(js, event_stream(settings.nats_prefix, sub.producer))
    await provision_consumer(
        js,
        type(spec)(stream=spec.stream, durable=spec.durable, filter_subjects=spec.filter_subjects, max_ack_pending=500),
    )
    with pytest.raises(ConfigDrift, match="max_ack_pending: the server has 500, the code declares 1000"):
        await asyncio.wait_for(run_service(service, settings, asyncio.Event()), 30)


async def test_an_event_whose_subject_does_not_name_it_is_parked_not_applied(
    database_url: str, nc: Client, nats_prefix: str
) -> None:
    """A message says what it is twice, in its subject and its body; a consumer applies it only when they agree."""
    store = await scratch_store(database_url)
    conn = await asyncpg.connect(database_url)
    await conn.execute(f"CREATE TABLE {SCHEMA}.effects (event_id uuid NOT NULL, n int NOT NULL)")
    await provision_stream(nc.jetstream(), event_stream(nats_prefix, SCHEMA))
    pool = await asyncpg.create_pool(database_url, min_size=1, max_size=2)
    assert pool is not None
    runner = ConsumerRunner(pool=pool, nc=nc, schema=SCHEMA, spec=_spec(nats_prefix, "named"), handler=_effect(store))
    stop = asyncio.Event()
    task = asyncio.create_task(runner.run(stop))
    async with conn.transaction():
        await store.append(conn, "tick-n", ticks(7), expected=ANY)
    stored = await conn.fetchrow(f"SELECT * FROM {SCHEMA}.events")
    assert stored is not None
    event = RecordedEvent(
        global_position=stored["global_position"], transaction_id=int(str(stored["transaction_id"])),
        event_id=stored["event_id"], stream_id=stored["stream_id"], stream_version=stored["stream_version"],
        event_type=stored["event_type"], schema_version=stored["schema_version"],
        data=msgspec.Raw(stored["data"].encode()), metadata=msgspec.json.decode(stored["metadata"], type=Metadata),
        recorded_at=stored["recorded_at"],
    )  # fmt: skip
    await nc.jetstream().publish(f"{nats_prefix}.{SCHEMA}.events.scratch.other.v1", msgspec.json.encode(event))
    parked = await eventually(lambda: _parked(conn, 1), timeout=30)
    assert "not the producer's own event" in parked[0].error  # type: ignore[attr-defined]
    assert await conn.fetchval(f"SELECT count(*) FROM {SCHEMA}.effects") == 0
    stop.set()
    await task
    await pool.close()
    await conn.close()
