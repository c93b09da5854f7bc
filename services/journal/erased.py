"""What erasure leaves out of the journal's read models (ADR 35), for the live projections and for
every rebuild alike, so that a rebuild brings nothing back.

Two kinds of ids are gone: members in ``journal.erased`` (the kernel's table) and the journals that
went with them in ``journal.erased_journals``. Nothing of an erased journal is projected; of an
erased member, no supporter place, note or observation (an accepted observation is the member's
record and comes back whole from its acceptance, sealed with the journal's key). Entries they
wrote for a member, and handover steps they took, stay: shown as by a former supporter."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Sequence
from uuid import UUID

import asyncpg

from services.journal.events import (
    ClaimCodeIssued,
    EntryRecorded,
    HandoverAccepted,
    HandoverDeclined,
    HandoverProposed,
    InvitationDeclined,
    JournalClaimed,
    JournalStarted,
    NoteAdded,
    ObservationAdded,
    ObservationResolved,
    SupporterInvited,
    SupporterJoined,
    SupporterRemoved,
    SupporterRoleChanged,
)
from shared.messages import Event
from shared.projections import Apply, ApplyMany

S = "journal"
Gone = frozenset[UUID]
_SUPPORTER = (SupporterInvited, SupporterJoined, SupporterRoleChanged)
_WRITING = (NoteAdded, ObservationAdded)


async def among(conn: asyncpg.Connection, ids: Iterable[UUID | None]) -> Gone:
    """Which of ``ids`` are erased members or erased journals (one round trip)."""
    wanted = list({i for i in ids if i is not None})
    if not wanted:
        return frozenset()
    rows = await conn.fetch(
        f"SELECT member_id FROM {S}.erased WHERE member_id = ANY($1::uuid[])"
        f" UNION ALL SELECT journal_id FROM {S}.erased_journals WHERE journal_id = ANY($1::uuid[])",
        wanted,
    )
    return frozenset(r[0] for r in rows)


def ids_of(e: Event) -> tuple[UUID | None, ...]:
    """The ids an event's projection depends on: its journal, and who it places or quotes."""
    match e:
        case JournalStarted():
            return (e.journal_id, e.started_by)
        case SupporterInvited() | SupporterJoined() | SupporterRoleChanged():
            return (e.journal_id, e.supporter_id)
        case NoteAdded() | ObservationAdded():
            return (e.journal_id, e.author_id)
        case (
            ObservationResolved() | ClaimCodeIssued() | EntryRecorded() | HandoverAccepted() | HandoverDeclined()
            | HandoverProposed() | InvitationDeclined() | SupporterRemoved() | JournalClaimed()
        ):  # fmt: skip
            return (e.journal_id,)
    return ()


def keeps(e: Event, gone: Gone) -> bool:
    """Whether ``e`` is projected at all once ``gone`` are erased."""
    if getattr(e, "journal_id", None) in gone:
        return False
    if isinstance(e, _SUPPORTER):
        return e.supporter_id not in gone
    if isinstance(e, _WRITING):
        return e.author_id not in gone
    return True


ApplyGone = Callable[[asyncpg.Connection, Event, Gone], Awaitable[None]]
ApplyManyGone = Callable[[asyncpg.Connection, Sequence[Event], Gone], Awaitable[None]]


def skipping(apply: ApplyGone, handles: tuple[type[Event], ...]) -> Apply:
    """A projection's ``apply`` that leaves out what erasure took; it looks only at the events the
    projection ``handles`` (the others change nothing of it)."""

    async def applied(conn: asyncpg.Connection, e: Event) -> None:
        if not isinstance(e, handles):
            return
        ids = ids_of(e)
        gone = await among(conn, ids) if ids else frozenset()
        if keeps(e, gone):
            await apply(conn, e, gone)

    return applied


def skipping_many(apply_many: ApplyManyGone, handles: tuple[type[Event], ...]) -> ApplyMany:
    """A projection's ``apply_many`` (a rebuild's batch) that leaves out what erasure took: one
    look-up for the whole batch."""

    async def applied(conn: asyncpg.Connection, events: Sequence[Event]) -> None:
        mine = [e for e in events if isinstance(e, handles)]
        gone = await among(conn, (i for e in mine for i in ids_of(e)))
        kept = [e for e in mine if keeps(e, gone)] if gone else mine
        if kept:
            await apply_many(conn, kept, gone)

    return applied
