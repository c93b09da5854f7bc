"""Reactions to other services' events. Each runs in the consumer's transaction."""

from __future__ import annotations

import asyncpg
import msgspec

from services.notifications import domain
from services.notifications.events import inbox_stream
from services.notifications.projections import PROJECTIONS
from shared.contracts import accounts as acc
from shared.eventstore.store import ANY, AlreadyAppended, EventStore, utcnow
from shared.handlers import append_and_project
from shared.messages import Metadata, RecordedEvent


async def on_member_registered(conn: asyncpg.Connection, recorded: RecordedEvent, *, store: EventStore) -> None:
    seen = msgspec.json.decode(recorded.data, type=acc.MemberJoined)
    note = domain.welcome(seen.member_id, seen.pseudonym, recorded.event_id, utcnow())
    meta = Metadata(
        correlation_id=recorded.metadata.correlation_id,
        causation_id=str(recorded.event_id),
        subject_id=seen.member_id,
    )
    try:
        async with conn.transaction():  # a savepoint: a duplicate leaves the outer work intact
            await append_and_project(
                conn, store, PROJECTIONS, inbox_stream(seen.member_id), [note],
                expected=ANY, metadata=meta, event_ids=[note.notification_id],
            )  # fmt: skip
    except AlreadyAppended:
        pass  # this welcome exists already
