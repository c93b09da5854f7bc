"""The kernel's part of erasing a member in one service (docs/adr/0034-erasure.md).

A service that follows ``accounts.member_erased`` calls ``forget`` in the transaction that purges
its read models and appends its own erasure event: the member's data key goes (their sealed text
in the log, in JetStream and in any backup can no longer be opened), so do the replies kept for
their retried requests and the parked messages that name them, and their id is kept in ``erased``
so that projections, rebuilds and late or redelivered events skip them without parking.

``follower`` is the shape of that consumer, written once: a service gives it what it reads of the
member before they go, the event by which it says it has erased them, and the purge of what is not
an inline read model of its own."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar
from uuid import UUID, uuid5

import asyncpg
import msgspec

from shared.consumers import Handler
from shared.contracts.erasure import ErasureSeen
from shared.crypto import KeyStore
from shared.eventstore.store import NO_STREAM, EventStore
from shared.handlers import append_and_project
from shared.messages import Event, Metadata, RecordedEvent
from shared.projections import Projection

Found = TypeVar("Found")


@dataclass(frozen=True, slots=True)
class Leaving(Generic[Found]):
    """A member's erasure as one service applies it: who, when (``at``), the metadata of what it
    writes for it (caused by accounts' event), and what ``read_first`` read of them (``found``)."""

    member_id: UUID
    at: dt.datetime
    metadata: Metadata
    found: Found


async def forget(conn: asyncpg.Connection, schema: str, member_id: UUID, at: dt.datetime) -> bool:
    """Erase what the kernel keeps of ``member_id`` in ``schema``; False if it was done already."""
    first = await conn.fetchval(
        f"INSERT INTO {schema}.erased (member_id, erased_at) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING true",
        member_id,
        at,
    )
    await KeyStore(schema).erase(conn, member_id)
    await conn.execute(f"DELETE FROM {schema}.idempotency WHERE actor_id = $1", member_id)
    await conn.execute(
        f"DELETE FROM {schema}.parked_messages WHERE position(convert_to($1, 'UTF8') IN data) > 0", str(member_id)
    )
    return bool(first)


async def is_erased(conn: asyncpg.Connection, schema: str, member_id: UUID) -> bool:
    return bool(await conn.fetchval(f"SELECT true FROM {schema}.erased WHERE member_id = $1", member_id))


async def erased_among(conn: asyncpg.Connection, schema: str, ids: Iterable[UUID | None]) -> set[UUID]:
    """Which of ``ids`` have been erased here (one round trip for a batch of events)."""
    wanted = list({i for i in ids if i is not None})
    if not wanted:
        return set()
    rows = await conn.fetch(f"SELECT member_id FROM {schema}.erased WHERE member_id = ANY($1::uuid[])", wanted)
    return {r["member_id"] for r in rows}


def erased_stream(member_id: UUID) -> str:
    """The stream of a service's own erasure event for ``member_id`` (one event, at version 1)."""
    return f"erased-{member_id}"


def follower(
    store: EventStore,
    projections: Sequence[Projection],
    *,
    read_first: Callable[[asyncpg.Connection, UUID], Awaitable[Found]],
    applied: Callable[[Leaving[Found]], Event],
    purge: Callable[[asyncpg.Connection, Leaving[Found]], Awaitable[None]],
) -> Handler:
    """The handler of a service's durable consumer of ``accounts.member_erased``.

    In the consumer's transaction, in this order: ``read_first`` reads what the service must know
    of the member before it goes (it writes nothing: an append must be a transaction's first write);
    the service's own erasure event (``applied``, ids only) is appended, with an id derived from its
    cause, and the inline ``projections`` apply it (each purges the member from its read model);
    ``purge`` takes what the service keeps outside them (consumer-built tables, jobs, outboxes, and
    any event it appends about others' things); then ``forget``, the kernel's part. A redelivery,
    or a second erasure of the same member, finds them erased here and changes nothing."""
    schema = store.schema

    async def on_member_erased(conn: asyncpg.Connection, recorded: RecordedEvent) -> None:
        seen = msgspec.json.decode(recorded.data, type=ErasureSeen)
        member = seen.member_id
        if await is_erased(conn, schema, member):
            return  # erased here already: nothing more to do, nothing more to say
        meta = Metadata(
            correlation_id=recorded.metadata.correlation_id, causation_id=str(recorded.event_id), subject_id=member
        )
        found = await read_first(conn, member)
        gone = Leaving(member_id=member, at=seen.erased_at or recorded.recorded_at, metadata=meta, found=found)
        await append_and_project(
            conn, store, projections, erased_stream(member), [applied(gone)], expected=NO_STREAM,
            metadata=meta, event_ids=[uuid5(recorded.event_id, schema)],
        )  # fmt: skip
        await purge(conn, gone)
        await forget(conn, schema, member, gone.at)

    return on_member_erased


async def read_nothing(_conn: asyncpg.Connection, _member: UUID) -> None:
    """``read_first`` of a service that need read nothing of the member before they go."""
