"""The event store against a real PostgreSQL."""

from __future__ import annotations

import asyncio
import random
from uuid import uuid4

import asyncpg
import msgspec
import pytest

from shared.db import create_pool
from shared.errors import ConcurrencyConflict
from shared.eventstore.store import ANY, NO_STREAM, AlreadyAppended, Position, position_of, unit_of_work
from shared.messages import Metadata, NewEvent
from tests.support.scratch import SCHEMA, Ticked, TickedV2, scratch_store, ticks

pytestmark = pytest.mark.integration


async def test_append_and_read_back_with_metadata(database_url: str) -> None:
    store = await scratch_store(database_url)
    conn = await asyncpg.connect(database_url)
    actor = uuid4()
    async with conn.transaction():
        version = await store.append(
            conn, "tick-1", ticks(1, 2, 3), expected=NO_STREAM,
            metadata=Metadata(correlation_id="abc123", actor_id=actor, on_behalf_of=actor, subject_id=actor),
        )  # fmt: skip
    assert version == 3
    assert await store.read_stream(conn, "tick-1") == (3, [Ticked(n=1), Ticked(n=2), Ticked(n=3)])
    recorded = await store.read_committed(conn, Position())
    assert [r.stream_version for r in recorded] == [1, 2, 3]
    assert recorded[0].metadata.correlation_id == "abc123"
    assert recorded[0].metadata.on_behalf_of == actor
    assert recorded[0].event_type == "scratch.ticked.v1" and recorded[0].schema_version == 1
    await conn.close()


async def test_same_expected_version_exactly_one_wins_and_nothing_partial(database_url: str) -> None:
    store = await scratch_store(database_url)
    setup = await asyncpg.connect(database_url)
    async with setup.transaction():
        await store.append(setup, "tick-x", ticks(0), expected=NO_STREAM)
    gate = asyncio.Barrier(2)

    async def writer(w: int) -> int:
        conn = await asyncpg.connect(database_url)
        try:
            async with conn.transaction():
                await gate.wait()
                return await store.append(conn, "tick-x", ticks(1, 2, writer=w), expected=1)
        finally:
            await conn.close()

    results = await asyncio.gather(writer(1), writer(2), return_exceptions=True)
    wins = [r for r in results if isinstance(r, int)]
    losses = [r for r in results if isinstance(r, ConcurrencyConflict)]
    assert wins == [3] and len(losses) == 1
    version, events = await store.read_stream(setup, "tick-x")
    assert version == 3 and len(events) == 3
    assert len({e.writer for e in events[1:]}) == 1  # both new events from the same writer
    assert await setup.fetchval(f"SELECT count(*) FROM {SCHEMA}.events") == 3
    await setup.close()


@pytest.mark.parametrize(
    ("expected", "ok"),
    [(NO_STREAM, False), (0, False), (1, False), (2, True), (3, False), (ANY, True)],
)
async def test_expected_version_rules(database_url: str, expected: object, ok: bool) -> None:
    store = await scratch_store(database_url)
    conn = await asyncpg.connect(database_url)
    async with conn.transaction():
        await store.append(conn, "tick-e", ticks(1, 2), expected=NO_STREAM)
    try:
        async with conn.transaction():
            await store.append(conn, "tick-e", ticks(3), expected=expected)  # type: ignore[arg-type]
        assert ok
    except ConcurrencyConflict:
        assert not ok
    assert (await store.read_stream(conn, "tick-e"))[0] == (3 if ok else 2)
    await conn.close()


async def test_retried_append_with_same_event_id_is_refused(database_url: str) -> None:
    store = await scratch_store(database_url)
    conn = await asyncpg.connect(database_url)
    event = NewEvent(event_id=uuid4(), event=Ticked(n=1))
    async with conn.transaction():
        await store.append(conn, "tick-r", [event], expected=ANY)
    with pytest.raises(AlreadyAppended):
        async with conn.transaction():
            await store.append(conn, "tick-r", [event], expected=ANY)
    assert (await store.read_stream(conn, "tick-r"))[0] == 1
    await conn.close()


async def test_update_delete_and_truncate_are_refused_by_the_database(database_url: str) -> None:
    store = await scratch_store(database_url)
    conn = await asyncpg.connect(database_url)
    async with conn.transaction():
        await store.append(conn, "tick-u", ticks(1), expected=NO_STREAM)
    for sql in (
        f"UPDATE {SCHEMA}.events SET data = '{{}}'",
        f"DELETE FROM {SCHEMA}.events",
        f"TRUNCATE {SCHEMA}.events",
    ):
        with pytest.raises(asyncpg.InsufficientPrivilegeError, match="append-only"):
            await conn.execute(sql)
    assert await conn.fetchval(f"SELECT count(*) FROM {SCHEMA}.events") == 1
    await conn.close()


async def test_upcaster_turns_old_payloads_into_the_new_type(database_url: str) -> None:
    store = await scratch_store(database_url)
    store.registry.register_upcaster("scratch.ticked.v1", TickedV2, lambda d: {**d, "note": f"was {d['n']}"})
    conn = await asyncpg.connect(database_url)
    async with conn.transaction():
        await store.append(conn, "tick-v", ticks(7), expected=NO_STREAM)
    assert (await store.read_stream(conn, "tick-v"))[1] == [TickedV2(n=7, note="was 7")]
    await conn.close()


async def test_concurrent_writers_with_delays_and_rollbacks_are_read_once_in_order(database_url: str) -> None:
    """16 writers commit in random order, some roll back; a tailing reader sees exactly the commits."""
    store = await scratch_store(database_url)
    committed: list[str] = []
    rng = random.Random(7)
    streams = [f"tick-{i}" for i in range(6)]

    async def writer(w: int) -> None:
        conn = await asyncpg.connect(database_url)
        try:
            for i in range(25):
                event = NewEvent(event_id=uuid4(), event=Ticked(n=i, writer=w))
                rollback = rng.random() < 0.2
                try:
                    async with conn.transaction():
                        await store.append(conn, rng.choice(streams), [event], expected=ANY)
                        await asyncio.sleep(rng.random() * 0.02)
                        if rollback:
                            raise _Rollback
                    committed.append(str(event.event_id))
                except _Rollback:
                    pass
        finally:
            await conn.close()

    seen: list[str] = []
    per_stream: dict[str, list[int]] = {}
    done = asyncio.Event()

    async def reader() -> None:
        conn = await asyncpg.connect(database_url)
        position = Position()
        while True:
            batch = await store.read_committed(conn, position, 7)
            for r in batch:
                seen.append(str(r.event_id))
                per_stream.setdefault(r.stream_id, []).append(r.stream_version)
            if batch:
                position = position_of(batch[-1])
            elif done.is_set():
                break
            else:
                await asyncio.sleep(0.005)
        await conn.close()

    reading = asyncio.create_task(reader())
    await asyncio.gather(*(writer(w) for w in range(16)))
    done.set()
    await reading
    assert len(seen) == len(set(seen)), "an event was read twice"
    assert sorted(seen) == sorted(committed), "the reader missed a commit or saw a rollback"
    for versions in per_stream.values():
        assert versions == list(range(1, len(versions) + 1)), "stream order broken"
    assert 0 < len(committed) < 16 * 25


class _Rollback(Exception):
    pass


def test_position_orders_by_transaction_then_position() -> None:
    assert Position(transaction_id=5, global_position=9) < Position(transaction_id=6, global_position=1)
    assert msgspec.json.decode(msgspec.json.encode(Position(transaction_id=1)), type=Position).transaction_id == 1


async def test_a_failed_unit_of_work_leaves_its_pooled_connection_clean(database_url: str) -> None:
    """Pooled connections are not reset on release (ADR 6): nothing of a failed unit of work may
    reach the next one on the same connection — no open transaction, no lock, no event."""
    store = await scratch_store(database_url)
    pool = await create_pool(database_url, min_size=1, max_size=1)  # one connection: the next user gets it

    async def fails_midway() -> None:
        async with unit_of_work(pool) as conn:
            await store.append(conn, "tick-clean", ticks(1), expected=ANY)  # takes the stream's lock
            raise RuntimeError("the handler fails")

    with pytest.raises(RuntimeError):
        await fails_midway()
    async with pool.acquire() as conn:
        assert not conn.is_in_transaction()
        held = await conn.fetchval(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()"
        )
        assert held == 0
        assert await store.stream_version(conn, "tick-clean") == 0
    async with unit_of_work(pool) as conn:  # and the stream can be written at once
        assert await store.append(conn, "tick-clean", ticks(2), expected=NO_STREAM) == 1
    await pool.close()
