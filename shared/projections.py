"""Inline projections: read models updated in the append transaction, rebuildable from the log."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

import asyncpg
import msgspec

from shared.eventstore.store import EventStore, Position
from shared.messages import Event, RecordedEvent

Apply = Callable[[asyncpg.Connection, Event], Awaitable[None]]
ApplyMany = Callable[[asyncpg.Connection, Sequence[Event]], Awaitable[None]]


class Projection(msgspec.Struct, frozen=True, kw_only=True):
    """A read model: the tables it owns and how one event changes them.

    ``apply_many``, when given, applies a batch in a few statements; rebuilds use it.
    """

    name: str
    tables: tuple[str, ...]
    apply: Apply
    apply_many: ApplyMany | None = None


async def project(conn: asyncpg.Connection, projections: Sequence[Projection], events: Sequence[Event]) -> None:
    for event in events:
        for projection in projections:
            await projection.apply(conn, event)


async def rebuild(pool: asyncpg.Pool, store: EventStore, projection: Projection, batch: int = 5000) -> int:
    """Rebuild ``projection`` from the whole log while writes go on; return the events replayed.

    The read model is rebuilt into shadow copies of its tables (schema ``<schema>_rebuild``; the
    projection's SQL names its tables without a schema, so the search path points it there).
    Readers keep the live tables meanwhile and appends go on. Once the shadow has caught up,
    one short transaction holds appends back (a lock on the streams table), applies the last few
    events and swaps the shadow tables in; readers then see the rebuilt model.
    """
    async with pool.acquire() as conn:
        shadow = await _shadow_tables(conn, store.schema, projection.tables)
        position, replayed = Position(), 0
        # Catch up, holding nothing writers need, until less than a batch behind. Should writers
        # outpace the replay, stop after twice the log's size at the start: the rest goes under the lock.
        budget = 2 * await conn.fetchval(f"SELECT count(*) FROM {store.schema}.events") + 4 * batch
        while replayed < budget:
            async with conn.transaction():
                await conn.execute(f"SET LOCAL search_path = {shadow}, {store.schema}, public")
                events = await store.read_committed(conn, position, batch)
                if events:
                    position = await _replay(conn, store, projection, events)
                    replayed += len(events)
            if len(events) < batch:
                break
        async with conn.transaction():  # the tail and the swap: appends wait only for this
            await conn.execute(f"SET LOCAL search_path = {shadow}, {store.schema}, public")
            await conn.execute(f"LOCK TABLE {store.schema}.streams IN EXCLUSIVE MODE")
            while True:  # no append is in flight now, so every event is final
                events = await store.read_committed(conn, position, batch, horizon=False)
                if not events:
                    break
                position = await _replay(conn, store, projection, events)
                replayed += len(events)
            await swap_in(conn, store.schema, shadow, projection.tables)
    return replayed


async def _replay(
    conn: asyncpg.Connection, store: EventStore, projection: Projection, events: Sequence[RecordedEvent]
) -> Position:
    decoded = [store.registry.decode(r.event_type, r.data) for r in events]
    if projection.apply_many is not None:
        await projection.apply_many(conn, decoded)
    else:
        for event in decoded:
            await projection.apply(conn, event)
    last = events[-1]
    return Position(transaction_id=last.transaction_id, global_position=last.global_position)


async def _shadow_tables(conn: asyncpg.Connection, schema: str, tables: Sequence[str]) -> str:
    """Empty copies of ``tables`` (columns, defaults, constraints, indexes) in ``<schema>_rebuild``."""
    shadow = f"{schema}_rebuild"
    await conn.execute(f"DROP SCHEMA IF EXISTS {shadow} CASCADE")  # a rebuild that died midway
    await conn.execute(f"CREATE SCHEMA {shadow}")
    for table in tables:
        await conn.execute(f"CREATE TABLE {shadow}.{table} (LIKE {schema}.{table} INCLUDING ALL)")
    return shadow


async def swap_in(conn: asyncpg.Connection, schema: str, shadow: str, tables: Sequence[str]) -> None:
    """Replace the live tables with the shadow ones (inside the caller's transaction).

    Sequences behind serial columns belong to the live table; they are handed to the new one.
    """
    for table in tables:
        owned = await conn.fetch(
            "SELECT s.relname AS seq, a.attname AS col FROM pg_depend d"
            " JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'"
            " JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid"
            " WHERE d.refobjid = $1::regclass AND d.deptype = 'a'",
            f"{schema}.{table}",
        )
        for row in owned:
            await conn.execute(f"ALTER SEQUENCE {schema}.{row['seq']} OWNED BY NONE")
        await conn.execute(f"DROP TABLE {schema}.{table}")
        await conn.execute(f"ALTER TABLE {shadow}.{table} SET SCHEMA {schema}")
        for row in owned:
            await conn.execute(f"ALTER SEQUENCE {schema}.{row['seq']} OWNED BY {schema}.{table}.{row['col']}")
    await conn.execute(f"DROP SCHEMA {shadow}")
