"""The notifications service follows ``accounts.member_erased`` (docs/adr/0037-erasure-in-notifications.md).

In one transaction, with the consumer's processed-event record (``shared.erasure.follower``):
``notifications.member_erased`` is appended (ids only; published, and accounts follows it), and its
inline projections take the member's inbox, mutes and preferences and re-word every item of someone
else that named them (``forgetting``); then ``purge`` takes what the service keeps outside its log —
their jobs (digest, reminder, mail about items), their mail outbox, and every row the consumers built
that names them — and the kernel forgets them (their data key, which sealed their mail; retried
replies; parked messages). A redelivery, or a second erasure of the same member, changes nothing."""

from __future__ import annotations

import asyncpg

from services.notifications.events import MemberErased
from services.notifications.projections import PROJECTIONS
from shared.consumers import Handler
from shared.erasure import Leaving, follower, read_nothing
from shared.eventstore.store import EventStore

_PURGE = (
    "DELETE FROM jobs WHERE member_id = $1",
    "DELETE FROM mail_outbox WHERE member_id = $1",
    "DELETE FROM people WHERE member_id = $1",
    "DELETE FROM posts WHERE author_id = $1",
    "DELETE FROM supporters WHERE supporter_id = $1"
    " OR journal_id IN (SELECT journal_id FROM journals WHERE owner_id = $1)",
    "DELETE FROM journals WHERE owner_id = $1",
    "UPDATE journals SET proposed_by = NULL WHERE proposed_by = $1",
    "DELETE FROM zones WHERE member_id = $1",
    "DELETE FROM last_wrote WHERE member_id = $1",
)
"""Rows outside the log that name the member: jobs and mail; their name, the posts they wrote, the
journals that were theirs (with their supporters), their supporter places and pending proposals,
their time zone, when they last wrote. Replies of others to their stories keep their rows (the
story's id is not theirs to take)."""


def applied(gone: Leaving[None]) -> MemberErased:
    return MemberErased(member_id=gone.member_id, erased_at=gone.at)


async def purge(conn: asyncpg.Connection, gone: Leaving[None]) -> None:
    for statement in _PURGE:
        await conn.execute(statement, gone.member_id)


def eraser(store: EventStore) -> Handler:
    """The consumer's handler; ``store`` is the service's own (its relay publishes the event)."""
    return follower(store, PROJECTIONS, read_first=read_nothing, applied=applied, purge=purge)
