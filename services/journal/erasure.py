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

In the shape every service follows (``shared.erasure.follower``): the journals that were theirs are
read first, ``journal.member_erased`` (ids only: the member and those journals) is appended before
any other write, as appends must be a transaction's first writes, with an id derived from its
cause; then the purge, then the kernel. A redelivery, or a second erasure of the same member,
changes nothing."""

from __future__ import annotations

from uuid import UUID

import asyncpg

from services.journal.events import MemberErased
from services.journal.projections import PROJECTIONS
from shared.consumers import Handler
from shared.crypto import KeyStore
from shared.erasure import Leaving, follower
from shared.eventstore.store import EventStore

S = "journal"
Journals = tuple[UUID, ...]  # the journals that were theirs, read before the purge takes them
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


async def theirs(conn: asyncpg.Connection, member_id: UUID) -> Journals:
    return tuple(r[0] for r in await conn.fetch(_THEIRS, member_id))


def applied(gone: Leaving[Journals]) -> MemberErased:
    return MemberErased(member_id=gone.member_id, journals=gone.found, erased_at=gone.at)


async def purge(conn: asyncpg.Connection, gone: Leaving[Journals]) -> None:
    """The journals that were theirs, whole, with their keys; their place where they supported."""
    keys = KeyStore(S)
    for journal_id in gone.found:
        for statement in _PURGE_JOURNAL:
            await conn.execute(statement, journal_id)
        await keys.erase(conn, journal_id)
        await conn.execute(
            f"INSERT INTO {S}.erased_journals (journal_id, erased_at) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            journal_id,
            gone.at,
        )
    for statement in _PURGE_SUPPORTER:
        await conn.execute(statement, gone.member_id)


def member_erased(store: EventStore) -> Handler:
    """The consumer's handler; ``store`` is the service's own (its relay wakes after the commit).
    Its inline projections see the event as a rebuild does, and leave it be: the purge is here."""
    return follower(store, PROJECTIONS, read_first=theirs, applied=applied, purge=purge)
