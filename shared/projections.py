"""Inline projections: read models updated in the append transaction, rebuildable from the log."""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable, Sequence

import asyncpg
import msgspec
import nats.errors
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy

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

    The read model is rebuilt into shadow copies of its tables (schema ``<schema>_rebuild_<read model>``; the
    projection's SQL names its tables without a schema, so the search path points it there).
    Readers keep the live tables meanwhile and appends go on. Once the shadow has caught up,
    one short transaction holds appends back (a lock on the streams table), applies the last few
    events and swaps the shadow tables in; readers then see the rebuilt model.
    """
    async with pool.acquire() as conn:
        shadow = await _shadow_tables(conn, store.schema, projection.name, projection.tables)
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


async def _shadow_tables(conn: asyncpg.Connection, schema: str, name: str, tables: Sequence[str]) -> str:
    """Empty copies of ``tables`` (columns, defaults, constraints, indexes) in a schema of their own,
    ``<schema>_rebuild_<read model>``, so that rebuilds of two read models never meet."""
    shadow = f"{schema}_rebuild_{name}"
    await conn.execute(f"DROP SCHEMA IF EXISTS {shadow} CASCADE")  # a rebuild that died midway
    await conn.execute(f"CREATE SCHEMA {shadow}")
    for table in tables:
        await conn.execute(f"CREATE TABLE {shadow}.{table} (LIKE {schema}.{table} INCLUDING ALL)")
    return shadow


async def _rights(conn: asyncpg.Connection, table: str) -> list[str]:
    """Statements that give a table the owner and grants that ``table`` has now."""
    owner = await conn.fetchval("SELECT relowner::regrole::text FROM pg_class WHERE oid = $1::regclass", table)
    grants = await conn.fetch(
        "SELECT a.grantee::regrole::text AS grantee, a.privilege_type FROM pg_class c,"
        " aclexplode(c.relacl) a WHERE c.oid = $1::regclass AND a.grantee <> 0 AND a.grantee <> c.relowner",
        table,
    )
    return [f"ALTER TABLE {table} OWNER TO {owner}"] + [
        f"GRANT {g['privilege_type']} ON {table} TO {g['grantee']}" for g in grants
    ]


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
        rights = await _rights(conn, f"{schema}.{table}")
        await conn.execute(f"DROP TABLE {schema}.{table}")
        await conn.execute(f"ALTER TABLE {shadow}.{table} SET SCHEMA {schema}")
        for statement in rights:  # the new table belongs to whom the old one did, with the same grants
            await conn.execute(statement)
        for row in owned:
            await conn.execute(f"ALTER SEQUENCE {schema}.{row['seq']} OWNED BY {schema}.{table}.{row['col']}")
    await conn.execute(f"DROP SCHEMA {shadow}")


async def rebuild_from_stream(
    pool: asyncpg.Pool,
    js: JetStreamContext,
    *,
    schema: str,
    tables: Sequence[str],
    stream: str,
    filter_subjects: Sequence[str],
    handler: Callable[[asyncpg.Connection, RecordedEvent], Awaitable[None]],
    batch: int = 500,
) -> int:
    """Rebuild a read model that a consumer builds from another service's events.

    The stream is read again from its start by a throwaway consumer into shadow tables while the
    live consumer goes on; under a short lock on the live tables (which holds the live consumer
    back) the last messages are applied and the shadow swapped in. The live consumer then
    applies what it had not acknowledged yet once more, so such handlers are idempotent (upserts).
    """
    sub = await js.pull_subscribe(
        "",
        stream=stream,
        config=ConsumerConfig(
            filter_subjects=list(filter_subjects),
            deliver_policy=DeliverPolicy.ALL,
            ack_policy=AckPolicy.NONE,
            inactive_threshold=120.0,
        ),
    )
    applied = 0
    try:
        async with pool.acquire() as conn:
            shadow = await _shadow_tables(conn, schema, "_".join(tables), tables)
            path = f"SET LOCAL search_path = {shadow}, {schema}, public"
            caught_up = False
            while not caught_up:  # catch up, holding nothing the live consumer needs
                async with conn.transaction():
                    await conn.execute(path)
                    applied, caught_up = await _apply_fetched(conn, sub, handler, batch, applied)
            async with conn.transaction():  # the tail and the swap: the live consumer waits for this
                await conn.execute(path)
                # The swap drops the live tables, which needs ACCESS EXCLUSIVE: taken up front, table
                # by table, rather than raised from a weaker lock, which deadlocks with a consumer
                # that has read one of the tables and now waits to write another.
                for table in tables:
                    await conn.execute(f"LOCK TABLE {schema}.{table} IN ACCESS EXCLUSIVE MODE")
                caught_up = False
                while not caught_up:
                    applied, caught_up = await _apply_fetched(conn, sub, handler, batch, applied)
                await swap_in(conn, schema, shadow, tables)
    finally:
        with contextlib.suppress(Exception):
            await sub.unsubscribe()
    return applied


async def _apply_fetched(
    conn: asyncpg.Connection,
    sub: JetStreamContext.PullSubscription,
    handler: Callable[[asyncpg.Connection, RecordedEvent], Awaitable[None]],
    batch: int,
    applied: int,
) -> tuple[int, bool]:
    """Fetch and apply one batch; returns the running count and whether nothing is left now."""
    try:
        msgs = await sub.fetch(batch, timeout=0.5)
    except (TimeoutError, nats.errors.TimeoutError):
        msgs = []
    for msg in msgs:
        await handler(conn, msgspec.json.decode(msg.data, type=RecordedEvent))
    info = await sub.consumer_info()
    return applied + len(msgs), not info.num_pending and len(msgs) < batch
