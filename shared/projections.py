"""Inline projections: read models updated in the append transaction, rebuildable from the log."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

import asyncpg
import msgspec

from shared.eventstore.store import EventStore, Position
from shared.messages import Event

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
    """Recreate ``projection`` from the whole log; return how many events were replayed.

    Runs in one transaction: readers keep seeing the old read model until it commits, then
    the new one. Appends wait meanwhile (the transaction holds the streams table), so no event
    can slip between the replay and the switch.
    """
    replayed = 0
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute(f"LOCK TABLE {store.schema}.streams IN EXCLUSIVE MODE")
        for table in projection.tables:
            await conn.execute(f"DELETE FROM {store.schema}.{table}")
        position = Position()
        while True:
            # with the streams table locked no append is in flight, so every event is final
            events = await store.read_committed(conn, position, batch, horizon=False)
            if not events:
                break
            decoded = [store.registry.decode(r.event_type, r.data) for r in events]
            if projection.apply_many is not None:
                await projection.apply_many(conn, decoded)
            else:
                for event in decoded:
                    await projection.apply(conn, event)
            replayed += len(events)
            last = events[-1]
            position = Position(transaction_id=last.transaction_id, global_position=last.global_position)
    return replayed
