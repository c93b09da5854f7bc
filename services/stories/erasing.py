"""The stories service follows ``accounts.member_erased`` (docs/adr/0036-erasure-in-the-feed.md).

In one transaction, with the consumer's processed-event record (``shared.erasure.follower``): the
reports the member made are read while they are still there; ``stories.member_erased`` is appended
(ids only; its inline projections purge the member from every read model, and web's caches drop
their pages when it is published); then the weight of each of those reports goes from the post it
named (``stories.report_erased``, decided by ``moderation.lift_report``), and so does the table of
who is who; the kernel forgets them (their data key, retried replies, parked messages; their id
stays in ``erased``). A redelivery, or a second erasure of the same member, changes nothing."""

from __future__ import annotations

from uuid import UUID

import asyncpg

from services.stories import domain, moderation
from services.stories.events import MemberErased, post_stream
from services.stories.projections import PROJECTIONS
from shared.consumers import Handler
from shared.erasure import Leaving, follower
from shared.eventstore.store import EventStore
from shared.handlers import append_and_project, load

Reported = list[UUID]  # the posts the member reported, read before the purge takes their reports


async def reports_made(conn: asyncpg.Connection, member: UUID) -> Reported:
    rows = await conn.fetch("SELECT item_id FROM reports WHERE reporter_id = $1 ORDER BY item_id", member)
    return [r["item_id"] for r in rows]


def applied(gone: Leaving[Reported]) -> MemberErased:
    return MemberErased(member_id=gone.member_id, erased_at=gone.at)


def eraser(store: EventStore, hide_weight: float) -> Handler:
    """The consumer's handler; ``hide_weight`` is the weight of reports that hides a post."""

    async def purge(conn: asyncpg.Connection, gone: Leaving[Reported]) -> None:
        for item in gone.found:
            version, post = await load(conn, store, post_stream(item), domain.evolve)
            lifted = moderation.lift_report(post, gone.member_id, hide_weight, gone.at)
            await append_and_project(
                conn, store, PROJECTIONS, post_stream(item), lifted, expected=version, metadata=gone.metadata
            )
        await conn.execute("DELETE FROM people WHERE member_id = $1", gone.member_id)

    return follower(store, PROJECTIONS, read_first=reports_made, applied=applied, purge=purge)


__all__ = ["eraser"]
