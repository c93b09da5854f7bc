"""Telling members things, in the consumer's transaction: each notice that is not muted and that
changes its item is recorded as an ``ItemNoted`` event in the member's inbox stream, and the
inline projection writes the item. The words and the grouping are the domain's. Every change to
an inbox is followed, in its transaction, by an ``InboxChanged`` (``announce``): the relay
publishes it from the log, and live pages hear of it. A member who has left is told nothing, and
nobody is told of what they did (a late or redelivered event about them)."""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

import asyncpg

from services.notifications import schedule
from services.notifications.domain.inbox import Group, Notice, applied, changed, mute_target, noted, noted_event_id
from services.notifications.domain.preferences import DEFAULTS, channel_for
from services.notifications.events import inbox_stream
from services.notifications.forgetting import SCHEMA
from services.notifications.prefs_projection import READ, decoded
from services.notifications.projections import GROUP, PROJECTIONS
from shared.erasure import erased_among
from shared.eventstore.store import ANY, AlreadyAppended, EventStore
from shared.handlers import append_and_project
from shared.messages import Metadata, RecordedEvent

_MUTED = "SELECT true FROM mutes WHERE member_id = $1 AND target_kind = $2 AND target_id = $3"
UNREAD = "SELECT count(*) FROM inbox WHERE member_id = $1 AND read_at IS NULL"


async def announce(conn: asyncpg.Connection, store: EventStore, member_id: UUID, version: int, meta: Metadata) -> None:
    """Record that the member's inbox stream, now at ``version``, changed: the next event in it,
    appended at exactly that version (this transaction holds the stream, so it cannot conflict)."""
    if version <= 0:
        return  # nothing was appended
    event = changed(member_id, version, await conn.fetchval(UNREAD, member_id))
    await append_and_project(
        conn, store, PROJECTIONS, inbox_stream(member_id), [event], expected=version, metadata=meta
    )


async def deliver(conn: asyncpg.Connection, store: EventStore, notices: Iterable[Notice], cause: RecordedEvent) -> None:
    """Record an item for each notice whose member has not muted what it is about."""
    notices = list(notices)
    gone = await erased_among(conn, SCHEMA, [i for n in notices for i in (n.member_id, n.actor_id)])
    for notice in notices:
        if notice.member_id in gone or notice.actor_id in gone:
            continue  # they have left: nothing for them, nothing about them
        target = mute_target(notice)
        if target is not None and await conn.fetchval(_MUTED, notice.member_id, *target):
            continue
        channel = channel_for(decoded(await conn.fetchval(READ, notice.member_id)) or DEFAULTS, notice.kind)
        if channel == "off":
            continue  # the member chose not to hear of this kind (ADR 31)
        event = noted(notice, cause.event_id, cause.recorded_at)
        row = await conn.fetchrow(GROUP, event.notification_id)
        if row is not None and applied(event, Group(names=tuple(row[0]), actor_ids=tuple(row[1]))) is None:
            continue  # this person is counted in the group already: nothing to tell
        meta = Metadata(
            correlation_id=cause.metadata.correlation_id, causation_id=str(cause.event_id), subject_id=notice.member_id
        )
        try:
            async with conn.transaction():  # a savepoint: a repeat leaves the outer work intact
                version = await append_and_project(
                    conn, store, PROJECTIONS, inbox_stream(notice.member_id), [event],
                    expected=ANY, metadata=meta, event_ids=[noted_event_id(event)],
                )  # fmt: skip
                await announce(conn, store, notice.member_id, version, meta)
        except AlreadyAppended:
            continue  # this cause has grown this item already
        if channel == "email":  # once per item: a redelivery or a growing group adds no e-mail
            await schedule.mail_item(conn, notice.member_id, event.notification_id, event.noted_at)
