"""Inline read models of the journal service."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby
from typing import get_args

import asyncpg

from services.journal import progress_model
from services.journal.erased import Gone, skipping, skipping_many
from services.journal.events import (
    ClaimCodeIssued,
    EntryConfirmed,
    EntryEdited,
    EntryEvent,
    EntryRecorded,
    EntryRetracted,
    HandoverAccepted,
    HandoverDeclined,
    HandoverProposed,
    InvitationDeclined,
    JournalClaimed,
    JournalEvent,
    JournalStarted,
    NoteAdded,
    ObservationAdded,
    ObservationEvent,
    ObservationResolved,
    SupporterInvited,
    SupporterJoined,
    SupporterRemoved,
    SupporterRoleChanged,
)
from shared.messages import Event
from shared.projections import Projection

# what each projection reads (and what erasure is looked up for)
_JOURNAL_EVENTS: tuple[type[Event], ...] = get_args(JournalEvent)
_ENTRY_EVENTS: tuple[type[Event], ...] = get_args(EntryEvent)
_OBSERVATION_EVENTS: tuple[type[Event], ...] = get_args(ObservationEvent)


async def _journals(conn: asyncpg.Connection, e: Event, gone: Gone = frozenset()) -> None:
    """One journal event; what erasure took (``gone``) is left out by ``erased.skipping`` before."""
    match e:
        case JournalStarted():
            await conn.execute(
                "INSERT INTO journals (journal_id, owner_id, owner_name, for_name, started_by, stage, started_at)"
                " VALUES ($1, $2, $3, $4, $5, $6, $7)",
                e.journal_id, e.owner_id, e.owner_name, e.for_name, e.started_by, e.stage, e.started_at,
            )  # fmt: skip
            if e.owner_id is None and e.started_by not in gone:  # its keeper, unless erased since
                await _supporter(conn, e.journal_id, e.started_by, "", "keeper", "active")
        case JournalClaimed():
            await conn.execute(
                "UPDATE journals SET owner_id = $2, owner_name = $3 WHERE journal_id = $1",
                e.journal_id, e.owner_id, e.owner_name,
            )  # fmt: skip
            await conn.execute("UPDATE claim_codes SET used = true WHERE journal_id = $1", e.journal_id)
        case ClaimCodeIssued():
            await conn.execute(
                "INSERT INTO claim_codes (code_hash, journal_id) VALUES ($1, $2)", e.code_hash, e.journal_id
            )
        case SupporterInvited():
            await _supporter(conn, e.journal_id, e.supporter_id, e.supporter_name, e.role, "invited")
        case SupporterJoined():
            await conn.execute(
                "UPDATE supporters SET status = 'active', role = $3 WHERE journal_id = $1 AND supporter_id = $2",
                e.journal_id, e.supporter_id, e.role,
            )  # fmt: skip
        case SupporterRoleChanged():
            await conn.execute(
                "UPDATE supporters SET role = $3 WHERE journal_id = $1 AND supporter_id = $2",
                e.journal_id, e.supporter_id, e.role,
            )  # fmt: skip
        case InvitationDeclined() | SupporterRemoved():
            await conn.execute(
                "DELETE FROM supporters WHERE journal_id = $1 AND supporter_id = $2", e.journal_id, e.supporter_id
            )
        case HandoverProposed():
            await conn.execute("UPDATE journals SET pending_stage = $2 WHERE journal_id = $1", e.journal_id, e.stage)
            if e.proposed_by != e.owner_id:  # the member's own change shows once, as accepted
                await _activity(conn, e.journal_id, "proposed", e.stage, e.proposed_by, e.proposed_at)
        case HandoverAccepted():
            await conn.execute(
                "UPDATE journals SET stage = $2, pending_stage = NULL WHERE journal_id = $1", e.journal_id, e.stage
            )
            await _activity(conn, e.journal_id, "accepted", e.stage, e.owner_id, e.accepted_at)
        case HandoverDeclined():
            await conn.execute("UPDATE journals SET pending_stage = NULL WHERE journal_id = $1", e.journal_id)
            await _activity(conn, e.journal_id, "declined", e.stage, e.owner_id, e.declined_at)


async def _supporter(
    conn: asyncpg.Connection, journal_id: object, supporter_id: object, name: str, role: str, status: str
) -> None:
    await conn.execute(
        "INSERT INTO supporters (journal_id, supporter_id, name, role, status) VALUES ($1, $2, $3, $4, $5)",
        journal_id, supporter_id, name, role, status,
    )  # fmt: skip


async def _activity(
    conn: asyncpg.Connection, journal_id: object, kind: str, stage: str, actor: object, at: object
) -> None:
    await conn.execute(
        "INSERT INTO activity (journal_id, day, kind, stage, actor_id, at) VALUES ($1, ($5::timestamptz)::date, $2, $3, $4, $5)",
        journal_id, kind, stage, actor, at,
    )  # fmt: skip


async def _entries(conn: asyncpg.Connection, e: Event, _gone: Gone = frozenset()) -> None:
    match e:
        case EntryRecorded():
            await conn.execute(
                "INSERT INTO entries (entry_id, journal_id, version, kind, text, helped, mood, themes,"
                " occurred_on, author_id, on_behalf, visibility, needs_confirmation, recorded_at)"
                " VALUES ($1, $2, 1, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
                e.entry_id, e.journal_id, e.kind, e.text, e.helped, e.mood, list(e.themes), e.occurred_on,
                e.author_id, e.on_behalf, e.visibility, e.needs_confirmation, e.recorded_at,
            )  # fmt: skip
            await progress_model.count(conn, [e.entry_id])
        case EntryEdited():
            await progress_model.uncount(conn, [e.entry_id])
            await conn.execute(
                "UPDATE entries SET version = version + 1, text = $2, helped = $3, mood = $4, themes = $5,"
                " occurred_on = $6, visibility = $7, edited = true WHERE entry_id = $1",
                e.entry_id, e.text, e.helped, e.mood, list(e.themes), e.occurred_on, e.visibility,
            )  # fmt: skip
            await progress_model.count(conn, [e.entry_id])
        case EntryRetracted():
            await progress_model.uncount(conn, [e.entry_id])
            await conn.execute(
                "UPDATE entries SET version = version + 1, retracted = true WHERE entry_id = $1", e.entry_id
            )
        case EntryConfirmed():
            await conn.execute(
                "UPDATE entries SET version = version + 1, confirmed = true WHERE entry_id = $1", e.entry_id
            )
        case NoteAdded():
            await conn.execute(
                "INSERT INTO notes (note_id, entry_id, journal_id, author_id, text, added_at, author_sealed)"
                " VALUES ($1, $2, $3, $4, $5, $6, $7)",
                e.note_id, e.entry_id, e.journal_id, e.author_id, e.text, e.added_at, e.author_sealed,
            )  # fmt: skip


# An accepted observation is the member's record, whole in its event: it is there even when its
# author's own event is left out (they were erased), with the member's copy of the text.
_ACCEPTED = (
    "INSERT INTO observations AS o (observation_id, journal_id, author_id, text, status, added_at, resolved_at,"
    " author_sealed, in_record) VALUES ($1, $2, $3, $4, $5, $6, $7, false, true)"
    " ON CONFLICT (observation_id) DO UPDATE SET text = excluded.text, status = excluded.status,"
    " resolved_at = excluded.resolved_at, author_sealed = false, in_record = true"
)


async def _observations(conn: asyncpg.Connection, e: Event, _gone: Gone = frozenset()) -> None:
    match e:
        case ObservationAdded():
            await conn.execute(
                "INSERT INTO observations (observation_id, journal_id, author_id, text, status, added_at, author_sealed)"
                " VALUES ($1, $2, $3, $4, 'pending', $5, $6)",
                e.observation_id, e.journal_id, e.author_id, e.text, e.added_at, e.author_sealed,
            )  # fmt: skip
        case ObservationResolved() if e.record:
            await conn.execute(
                _ACCEPTED, e.observation_id, e.journal_id, e.author_id, e.record, e.resolution, e.added_at,
                e.resolved_at,
            )  # fmt: skip
        case ObservationResolved():
            await conn.execute(
                "UPDATE observations SET status = $2, resolved_at = $3 WHERE observation_id = $1",
                e.observation_id, e.resolution, e.resolved_at,
            )  # fmt: skip


async def _journals_many(conn: asyncpg.Connection, events: Sequence[Event], gone: Gone) -> None:
    """A run of journals started by their own members is one INSERT; the rest one at a time."""
    for kind, run in groupby(events, key=lambda e: type(e) is JournalStarted and e.owner_id is not None):
        batch = list(run)
        if kind:
            started = [e for e in batch if isinstance(e, JournalStarted)]
            await conn.execute(
                "INSERT INTO journals (journal_id, owner_id, owner_name, started_by, stage, started_at)"
                " SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::uuid[], $5::text[], $6::timestamptz[])",
                [e.journal_id for e in started], [e.owner_id for e in started], [e.owner_name for e in started],
                [e.started_by for e in started], [e.stage for e in started], [e.started_at for e in started],
            )  # fmt: skip
        else:
            for event in batch:
                await _journals(conn, event, gone)


JOURNALS = Projection(
    name="journals",
    tables=("journals", "claim_codes", "supporters", "activity"),
    apply=skipping(_journals, _JOURNAL_EVENTS),
    apply_many=skipping_many(_journals_many, _JOURNAL_EVENTS),
)
_SEP = "\x1f"  # joins a row's themes for unnest (arrays of arrays must be rectangular)
_INSERT_ENTRIES = (
    "INSERT INTO entries (entry_id, journal_id, version, kind, text, helped, mood, themes, occurred_on,"
    " author_id, on_behalf, visibility, needs_confirmation, recorded_at)"
    " SELECT e, j, 1, k, tx, h, m, CASE WHEN th = '' THEN '{}'::text[] ELSE string_to_array(th, E'\\x1f') END,"
    " o, a, b, v, n, r FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::smallint[],"
    " $7::text[], $8::date[], $9::uuid[], $10::boolean[], $11::text[], $12::boolean[], $13::timestamptz[])"
    " AS u(e, j, k, tx, h, m, th, o, a, b, v, n, r)"
)


async def _entries_many(conn: asyncpg.Connection, events: Sequence[Event], _gone: Gone) -> None:
    """The entries projection for a batch (a rebuild): a run of recorded entries is one INSERT,
    a run of confirmations or retractions one UPDATE; anything else goes one at a time, in order."""
    for kind, run in groupby(events, key=type):
        batch = list(run)
        if kind is EntryRecorded:
            recorded = [e for e in batch if isinstance(e, EntryRecorded)]
            columns = zip(
                *(
                    (e.entry_id, e.journal_id, e.kind, e.text, e.helped, e.mood, _SEP.join(e.themes), e.occurred_on,
                     e.author_id, e.on_behalf, e.visibility, e.needs_confirmation, e.recorded_at)
                    for e in recorded
                ),
                strict=True,
            )  # fmt: skip
            await conn.execute(_INSERT_ENTRIES, *(list(c) for c in columns))
            await progress_model.count(conn, [e.entry_id for e in recorded])
        elif kind in (EntryConfirmed, EntryRetracted):
            column = "confirmed" if kind is EntryConfirmed else "retracted"
            ids = [e.entry_id for e in batch if isinstance(e, EntryConfirmed | EntryRetracted)]
            if kind is EntryRetracted:
                await progress_model.uncount(conn, ids)
            await conn.execute(
                f"UPDATE entries SET version = version + 1, {column} = true WHERE entry_id = ANY($1)", ids
            )
        else:
            for event in batch:
                await _entries(conn, event)


ENTRIES = Projection(
    name="entries",
    tables=("entries", "notes", *progress_model.TABLES),
    apply=skipping(_entries, _ENTRY_EVENTS),
    apply_many=skipping_many(_entries_many, _ENTRY_EVENTS),
)


async def _observations_many(conn: asyncpg.Connection, events: Sequence[Event], _gone: Gone) -> None:
    """A run of added observations is one INSERT; decisions one at a time, in order."""
    for kind, run in groupby(events, key=type):
        batch = list(run)
        if kind is ObservationAdded:
            added = [e for e in batch if isinstance(e, ObservationAdded)]
            await conn.execute(
                "INSERT INTO observations (observation_id, journal_id, author_id, text, status, added_at, author_sealed)"
                " SELECT o, j, a, t, 'pending', at, s FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[],"
                " $5::timestamptz[], $6::boolean[]) AS u(o, j, a, t, at, s)",
                [e.observation_id for e in added], [e.journal_id for e in added], [e.author_id for e in added],
                [e.text for e in added], [e.added_at for e in added], [e.author_sealed for e in added],
            )  # fmt: skip
        else:
            for event in batch:
                await _observations(conn, event)


OBSERVATIONS = Projection(
    name="observations",
    tables=("observations",),
    apply=skipping(_observations, _OBSERVATION_EVENTS),
    apply_many=skipping_many(_observations_many, _OBSERVATION_EVENTS),
)
PROJECTIONS = (JOURNALS, ENTRIES, OBSERVATIONS)
