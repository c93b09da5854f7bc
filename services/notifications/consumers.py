"""Reactions to other services' events. Each runs in the consumer's transaction, which also
records the event as processed (``shared.consumers``): a redelivery changes nothing. What a
member is told is appended to their inbox stream (``inbox.deliver``), before the small read
models that address items are updated: an append should be a transaction's first write, which
keeps each stream's order on a replay (see the event store's ``append_events``). Nothing is kept
of a member who has left (``followed``), and nobody is told of them (``inbox.deliver``)."""

from __future__ import annotations

import asyncpg
import msgspec

from services.notifications import domain, followed
from services.notifications.domain import rules
from services.notifications.events import inbox_stream
from services.notifications.forgetting import SCHEMA
from services.notifications.inbox import announce, deliver
from services.notifications.projections import PROJECTIONS
from shared.bus.rpc import ServiceClient
from shared.contracts import accounts as acc
from shared.contracts import journal_events as je
from shared.contracts import story_events as se
from shared.erasure import is_erased
from shared.eventstore.store import ANY, AlreadyAppended, EventStore, utcnow
from shared.handlers import append_and_project
from shared.messages import Metadata, RecordedEvent


async def on_member_registered(
    conn: asyncpg.Connection, recorded: RecordedEvent, *, store: EventStore, accounts: ServiceClient
) -> None:
    seen = msgspec.json.decode(recorded.data, type=acc.MemberJoined)
    name = await _pseudonym(conn, seen, accounts)
    if name is None:
        return  # erased before we heard of them: nobody to welcome or remember
    note = domain.welcome(seen.member_id, recorded.event_id, utcnow())
    meta = Metadata(
        correlation_id=recorded.metadata.correlation_id,
        causation_id=str(recorded.event_id),
        subject_id=seen.member_id,
    )
    try:
        async with conn.transaction():  # a savepoint: a duplicate leaves the outer work intact
            version = await append_and_project(
                conn, store, PROJECTIONS, inbox_stream(seen.member_id), [note],
                expected=ANY, metadata=meta, event_ids=[note.notification_id],
            )  # fmt: skip
            await announce(conn, store, seen.member_id, version, meta)
    except AlreadyAppended:
        pass  # this welcome exists already
    await followed.remember_person(conn, seen.member_id, name)  # after the append (its first write)


async def on_story_event(conn: asyncpg.Connection, recorded: RecordedEvent, *, store: EventStore) -> None:
    """Stories: encouragement and published replies to the story's author, and every moderation
    decision to the post's author alone. Reports are not followed: they tell nobody."""
    kind = recorded.event_type
    if kind == se.ENCOURAGED:
        cheer = msgspec.json.decode(recorded.data, type=se.EncouragementSeen)
        notices = rules.encouraged(cheer)
        await deliver(conn, store, notices, recorded)
        return
    seen = msgspec.json.decode(recorded.data, type=se.PostSeen)
    if kind in (se.STORY_SUBMITTED, se.REPLY_SUBMITTED):
        await followed.remember_post(conn, kind, seen)
        return
    if kind == se.POST_PUBLISHED:
        notices = rules.published(seen)
    else:
        notices = rules.moderated(kind, seen, await followed.story_of(conn, seen.item_id))
    await deliver(conn, store, notices, recorded)


_WRITING = (je.ENTRY_RECORDED, je.NOTE_ADDED, je.OBSERVATION_ADDED)  # they change nothing the inbox keeps


async def on_journal_event(conn: asyncpg.Connection, recorded: RecordedEvent, *, store: EventStore) -> None:
    """Journals: the member hears of supporters and of what is written for them; a supporter hears
    of an invitation and of handover steps while they support the journal. No text travels."""
    kind, actor = recorded.event_type, recorded.metadata.actor_id
    if kind in _WRITING:
        wrote = msgspec.json.decode(recorded.data, type=je.WritingSeen)
        facts = await followed.journal_facts(conn, wrote.journal_id)
        notices = rules.written(kind, wrote, facts)
        await deliver(conn, store, notices, recorded)
        return
    seen = msgspec.json.decode(recorded.data, type=je.JournalSeen)
    facts = await followed.journal_facts(conn, seen.journal_id)
    if kind == je.SUPPORTER_INVITED:
        notices = rules.invited(seen, actor)
    elif kind in (je.SUPPORTER_JOINED, je.SUPPORTER_REMOVED):
        notices = rules.supporter_changed(kind, seen, facts, actor)
    elif kind in (je.HANDOVER_PROPOSED, je.HANDOVER_ACCEPTED, je.HANDOVER_DECLINED):
        notices = rules.handover(kind, seen, facts, actor)
    else:
        notices = []
    await deliver(conn, store, notices, recorded)
    await followed.remember_journal(conn, kind, seen)


# --- rebuilding what the inbox keeps to address its items (`smallwins rebuild notifications ...`)
# Each writes its tables exactly as the live handler above does, and nothing else: a rebuild
# replays the producer's stream and must tell nobody anything again.


async def _pseudonym(conn: asyncpg.Connection, seen: acc.MemberJoined, accounts: ServiceClient) -> str | None:
    """Pseudonyms left the wire (docs/adr/0034-erasure.md): a new member's is asked of accounts
    (None once they are erased). None for a member erased here, whatever an older event holds."""
    if await is_erased(conn, SCHEMA, seen.member_id):
        return None
    if seen.pseudonym:
        return seen.pseudonym
    return (await accounts.ask(acc.PSEUDONYM, acc.PseudonymRequest(member_id=seen.member_id))).pseudonym


async def person_again(conn: asyncpg.Connection, recorded: RecordedEvent, *, accounts: ServiceClient) -> None:
    seen = msgspec.json.decode(recorded.data, type=acc.MemberJoined)
    name = await _pseudonym(conn, seen, accounts)
    if name is not None:
        await followed.remember_person(conn, seen.member_id, name)


async def post_again(conn: asyncpg.Connection, recorded: RecordedEvent) -> None:
    if recorded.event_type in (se.STORY_SUBMITTED, se.REPLY_SUBMITTED):
        await followed.remember_post(conn, recorded.event_type, msgspec.json.decode(recorded.data, type=se.PostSeen))


async def journal_again(conn: asyncpg.Connection, recorded: RecordedEvent) -> None:
    if recorded.event_type not in _WRITING:
        await followed.remember_journal(
            conn, recorded.event_type, msgspec.json.decode(recorded.data, type=je.JournalSeen)
        )
