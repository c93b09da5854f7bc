"""Erasure in the journal (ADR 35): a member has left, and the journal follows
``accounts.member_erased`` in one transaction.

- The journals that were theirs (their own, or one they kept for someone who never joined) go
  whole: every read-model row, and the journal's key, so that its text in the log, in JetStream
  and in any backup no longer opens; the id is kept in ``erased_journals``. Their supporters simply
  no longer find them.
- Where they supported someone, their place ends and their own words go (notes, and observations
  the member had not accepted: sealed with their key, which goes too); entries they wrote for the
  member and the observations the member accepted stay, by "a former supporter".
- Their name leaves ``people`` (nobody can invite them any more), and the kernel forgets them
  (``shared.erasure.forget``: their key, retried replies, parked messages).

It appends ``journal.member_erased`` (ids only) first, as appends must be a transaction's first
writes; a redelivery, or a second erasure of the same member, changes nothing."""

from __future__ import annotations

import datetime as dt
from uuid import UUID, uuid5

import asyncpg
import msgspec

from services.journal.events import MemberErased, erasure_stream
from shared.consumers import Handler
from shared.contracts.erasure import ErasureSeen
from shared.crypto import KeyStore
from shared.erasure import forget, is_erased
from shared.eventstore.store import NO_STREAM, EventStore
from shared.messages import Metadata, NewEvent, RecordedEvent

S = "journal"
_THEIRS = f"SELECT journal_id FROM {S}.journals WHERE owner_id = $1 OR (owner_id IS NULL AND started_by = $1)"
# every read model of a journal, by journal id ($1); notes through their entries (indexed)
_PURGE_JOURNAL = (
    f"DELETE FROM {S}.notes WHERE entry_id IN (SELECT entry_id FROM {S}.entries WHERE journal_id = $1)",
    *(
        f"DELETE FROM {S}.{table} WHERE journal_id = $1"
        for table in (
            "entries", "observations", "activity", "progress_days", "progress_themes", "supporters", "claim_codes",
            "journals",
        )
    ),
)  # fmt: skip
# a member where they supported someone ($1): their place, their words not in the member's record
_PURGE_SUPPORTER = (
    f"DELETE FROM {S}.supporters WHERE supporter_id = $1",
    f"DELETE FROM {S}.notes WHERE author_id = $1",
    f"DELETE FROM {S}.observations WHERE author_id = $1 AND NOT in_record",
    f"DELETE FROM {S}.people WHERE member_id = $1",
)


def member_erased(store: EventStore) -> Handler:
    """The consumer's handler; ``store`` is the service's own (its relay wakes after the commit)."""

    async def on_member_erased(conn: asyncpg.Connection, recorded: RecordedEvent) -> None:
        seen = msgspec.json.decode(recorded.data, type=ErasureSeen)
        if await is_erased(conn, S, seen.member_id):
            return  # erased here already: nothing more to do, nothing more to say
        await erase(conn, store, seen.member_id, seen.erased_at or recorded.recorded_at, recorded)

    return on_member_erased


async def erase(
    conn: asyncpg.Connection, store: EventStore, member_id: UUID, at: dt.datetime, cause: RecordedEvent
) -> tuple[UUID, ...]:
    """Erase the member's journal part in the caller's transaction; returns the journals that went."""
    journals = tuple(r[0] for r in await conn.fetch(_THEIRS, member_id))
    event = MemberErased(member_id=member_id, journals=journals, erased_at=at)
    meta = Metadata(
        correlation_id=cause.metadata.correlation_id, causation_id=str(cause.event_id), subject_id=member_id
    )
    new = NewEvent(event_id=uuid5(cause.event_id, S), event=event)  # the same id however often it comes
    await store.append(conn, erasure_stream(member_id), [new], expected=NO_STREAM, metadata=meta)
    keys = KeyStore(S)
    for journal_id in journals:
        for statement in _PURGE_JOURNAL:
            await conn.execute(statement, journal_id)
        await keys.erase(conn, journal_id)
        await conn.execute(
            f"INSERT INTO {S}.erased_journals (journal_id, erased_at) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            journal_id,
            at,
        )
    for statement in _PURGE_SUPPORTER:
        await conn.execute(statement, member_id)
    await forget(conn, S, member_id, at)
    return journals
