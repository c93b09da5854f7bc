"""The stories service follows ``accounts.member_erased`` (docs/adr/0036-erasure-in-the-feed.md).

In one transaction, with the consumer's processed-event record: ``stories.member_erased`` is
appended (ids only; its inline projections purge the member from every read model, and web's
caches drop their pages when it is published), the weight of each report they made goes from the
post it named (``stories.report_erased``, decided by ``moderation.lift_report``), the kernel
forgets them (their data key, retried replies, parked messages; their id stays in ``erased``) and
so does the table of who is who. A redelivery, or a second erasure of the same member, changes
nothing."""

from __future__ import annotations

from uuid import UUID

import asyncpg
import msgspec

from services.stories import domain, moderation
from services.stories.events import MemberErased, erased_stream, post_stream
from services.stories.forgetting import SCHEMA
from services.stories.projections import PROJECTIONS
from shared.consumers import Handler
from shared.contracts.erasure import ErasureSeen
from shared.erasure import forget, is_erased
from shared.eventstore.store import NO_STREAM, EventStore
from shared.handlers import append_and_project, load
from shared.messages import Metadata, RecordedEvent


def eraser(store: EventStore, hide_weight: float) -> Handler:
    """The consumer's handler; ``hide_weight`` is the weight of reports that hides a post."""

    async def on_member_erased(conn: asyncpg.Connection, recorded: RecordedEvent) -> None:
        seen = msgspec.json.decode(recorded.data, type=ErasureSeen)
        member = seen.member_id
        if await is_erased(conn, SCHEMA, member):
            return  # erased already: a redelivery, or a second erasure
        at = seen.erased_at or recorded.recorded_at
        meta = Metadata(
            correlation_id=recorded.metadata.correlation_id, causation_id=str(recorded.event_id), subject_id=member
        )
        reported = await _reports_made(conn, member)  # read before the purge takes them
        # the first write of the transaction is an append, so that it keeps commit order (append_events)
        erased = MemberErased(member_id=member, erased_at=at)
        await append_and_project(conn, store, PROJECTIONS, erased_stream(member), [erased], expected=NO_STREAM, metadata=meta)  # fmt: skip
        for item in reported:
            version, post = await load(conn, store, post_stream(item), domain.evolve)
            lifted = moderation.lift_report(post, member, hide_weight, at)
            await append_and_project(conn, store, PROJECTIONS, post_stream(item), lifted, expected=version, metadata=meta)  # fmt: skip
        await forget(conn, SCHEMA, member, at)
        await conn.execute("DELETE FROM people WHERE member_id = $1", member)

    return on_member_erased


async def _reports_made(conn: asyncpg.Connection, member: UUID) -> list[UUID]:
    rows = await conn.fetch("SELECT item_id FROM reports WHERE reporter_id = $1 ORDER BY item_id", member)
    return [r["item_id"] for r in rows]


__all__ = ["eraser"]
