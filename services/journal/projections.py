"""Inline read models of the journal service."""

from __future__ import annotations

import asyncpg

from services.journal.events import (
    ClaimCodeIssued,
    EntryConfirmed,
    EntryEdited,
    EntryRecorded,
    EntryRetracted,
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
from shared.projections import Projection

S = "journal"


async def _journals(conn: asyncpg.Connection, e: Event) -> None:
    match e:
        case JournalStarted():
            await conn.execute(
                f"INSERT INTO {S}.journals (journal_id, owner_id, owner_name, started_by, stage, started_at)"
                " VALUES ($1, $2, $3, $4, $5, $6)",
                e.journal_id, e.owner_id, e.owner_name, e.started_by, e.stage, e.started_at,
            )  # fmt: skip
            if e.owner_id is None:
                await _supporter(conn, e.journal_id, e.started_by, "", "keeper", "active")
        case JournalClaimed():
            await conn.execute(
                f"UPDATE {S}.journals SET owner_id = $2, owner_name = $3 WHERE journal_id = $1",
                e.journal_id, e.owner_id, e.owner_name,
            )  # fmt: skip
            await conn.execute(f"UPDATE {S}.claim_codes SET used = true WHERE journal_id = $1", e.journal_id)
        case ClaimCodeIssued():
            await conn.execute(
                f"INSERT INTO {S}.claim_codes (code_hash, journal_id) VALUES ($1, $2)", e.code_hash, e.journal_id
            )
        case SupporterInvited():
            await _supporter(conn, e.journal_id, e.supporter_id, e.supporter_name, e.role, "invited")
        case SupporterJoined():
            await conn.execute(
                f"UPDATE {S}.supporters SET status = 'active', role = $3 WHERE journal_id = $1 AND supporter_id = $2",
                e.journal_id, e.supporter_id, e.role,
            )  # fmt: skip
        case SupporterRoleChanged():
            await conn.execute(
                f"UPDATE {S}.supporters SET role = $3 WHERE journal_id = $1 AND supporter_id = $2",
                e.journal_id, e.supporter_id, e.role,
            )  # fmt: skip
        case InvitationDeclined() | SupporterRemoved():
            await conn.execute(
                f"DELETE FROM {S}.supporters WHERE journal_id = $1 AND supporter_id = $2", e.journal_id, e.supporter_id
            )
        case HandoverProposed():
            await conn.execute(
                f"UPDATE {S}.journals SET pending_stage = $2 WHERE journal_id = $1", e.journal_id, e.stage
            )
            if e.proposed_by != e.owner_id:  # the member's own change shows once, as accepted
                await _activity(conn, e.journal_id, "proposed", e.stage, e.proposed_by, e.proposed_at)
        case HandoverAccepted():
            await conn.execute(
                f"UPDATE {S}.journals SET stage = $2, pending_stage = NULL WHERE journal_id = $1", e.journal_id, e.stage
            )
            await _activity(conn, e.journal_id, "accepted", e.stage, e.owner_id, e.accepted_at)
        case HandoverDeclined():
            await conn.execute(f"UPDATE {S}.journals SET pending_stage = NULL WHERE journal_id = $1", e.journal_id)
            await _activity(conn, e.journal_id, "declined", e.stage, e.owner_id, e.declined_at)


async def _supporter(
    conn: asyncpg.Connection, journal_id: object, supporter_id: object, name: str, role: str, status: str
) -> None:
    await conn.execute(
        f"INSERT INTO {S}.supporters (journal_id, supporter_id, name, role, status) VALUES ($1, $2, $3, $4, $5)",
        journal_id, supporter_id, name, role, status,
    )  # fmt: skip


async def _activity(
    conn: asyncpg.Connection, journal_id: object, kind: str, stage: str, actor: object, at: object
) -> None:
    await conn.execute(
        f"INSERT INTO {S}.activity (journal_id, day, kind, stage, actor_id, at) VALUES ($1, ($5::timestamptz)::date, $2, $3, $4, $5)",
        journal_id, kind, stage, actor, at,
    )  # fmt: skip


async def _entries(conn: asyncpg.Connection, e: Event) -> None:
    match e:
        case EntryRecorded():
            await conn.execute(
                f"INSERT INTO {S}.entries (entry_id, journal_id, version, kind, text, helped, mood, themes,"
                " occurred_on, author_id, on_behalf, visibility, needs_confirmation, recorded_at)"
                " VALUES ($1, $2, 1, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
                e.entry_id, e.journal_id, e.kind, e.text, e.helped, e.mood, list(e.themes), e.occurred_on,
                e.author_id, e.on_behalf, e.visibility, e.needs_confirmation, e.recorded_at,
            )  # fmt: skip
        case EntryEdited():
            await conn.execute(
                f"UPDATE {S}.entries SET version = version + 1, text = $2, helped = $3, mood = $4, themes = $5,"
                " occurred_on = $6, visibility = $7, edited = true WHERE entry_id = $1",
                e.entry_id, e.text, e.helped, e.mood, list(e.themes), e.occurred_on, e.visibility,
            )  # fmt: skip
        case EntryRetracted():
            await conn.execute(
                f"UPDATE {S}.entries SET version = version + 1, retracted = true WHERE entry_id = $1", e.entry_id
            )
        case EntryConfirmed():
            await conn.execute(
                f"UPDATE {S}.entries SET version = version + 1, confirmed = true WHERE entry_id = $1", e.entry_id
            )
        case NoteAdded():
            await conn.execute(
                f"INSERT INTO {S}.notes (note_id, entry_id, journal_id, author_id, text, added_at) VALUES ($1, $2, $3, $4, $5, $6)",
                e.note_id, e.entry_id, e.journal_id, e.author_id, e.text, e.added_at,
            )  # fmt: skip


async def _observations(conn: asyncpg.Connection, e: Event) -> None:
    match e:
        case ObservationAdded():
            await conn.execute(
                f"INSERT INTO {S}.observations (observation_id, journal_id, author_id, text, status, added_at)"
                " VALUES ($1, $2, $3, $4, 'pending', $5)",
                e.observation_id, e.journal_id, e.author_id, e.text, e.added_at,
            )  # fmt: skip
        case ObservationResolved():
            await conn.execute(
                f"UPDATE {S}.observations SET status = $2, resolved_at = $3 WHERE observation_id = $1",
                e.observation_id, e.resolution, e.resolved_at,
            )  # fmt: skip


JOURNALS = Projection(name="journals", tables=("journals", "claim_codes", "supporters", "activity"), apply=_journals)
ENTRIES = Projection(name="entries", tables=("entries", "notes"), apply=_entries)
OBSERVATIONS = Projection(name="observations", tables=("observations",), apply=_observations)
PROJECTIONS = (JOURNALS, ENTRIES, OBSERVATIONS)
