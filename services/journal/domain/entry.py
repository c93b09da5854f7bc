"""The entry aggregate: victories, setbacks and mood check-ins, and the notes on them. Pure
functions; no I/O, no clock."""

from __future__ import annotations

import datetime as dt
from typing import assert_never
from uuid import UUID
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import msgspec

from services.journal.access import Access, sees_entry
from services.journal.commands import EditEntry, EntryInput, RecordEntry
from services.journal.domain.common import (
    KINDS,
    NOTE_MAX,
    OLDEST,
    TEXT_MAX,
    THEMES_MAX,
    VISIBILITIES,
    Seal,
    check_short_text,
    required,
)
from services.journal.domain.journal import Journal, require_access
from services.journal.events import EntryConfirmed, EntryEdited, EntryEvent, EntryRecorded, EntryRetracted, NoteAdded
from shared.contracts.journal import MOOD_MAX, MOOD_MIN
from shared.contracts.vocabulary import RECOVERY_THEMES
from shared.errors import Conflict, FieldError, Forbidden, Invalid, NotFound


class Entry(msgspec.Struct, frozen=True, kw_only=True):
    entry_id: UUID
    journal_id: UUID
    kind: str
    author_id: UUID
    visibility: str
    needs_confirmation: bool
    confirmed: bool = False
    retracted: bool = False


def today_in(tz: str, now: dt.datetime) -> dt.date:
    """The writer's today, in their time zone (UTC when it is unknown): the latest day an entry may have."""
    try:
        zone = ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return now.astimezone(zone).date()


def evolve_entry(state: Entry | None, event: EntryEvent) -> Entry:
    match event:
        case EntryRecorded():
            return Entry(
                entry_id=event.entry_id, journal_id=event.journal_id, kind=event.kind, author_id=event.author_id,
                visibility=event.visibility, needs_confirmation=event.needs_confirmation,
            )  # fmt: skip
        case EntryEdited():
            return msgspec.structs.replace(required(state), visibility=event.visibility)
        case EntryRetracted():
            return msgspec.structs.replace(required(state), retracted=True)
        case EntryConfirmed():
            return msgspec.structs.replace(required(state), confirmed=True)
        case NoteAdded():
            return required(state)
        case _:
            assert_never(event)


def validate_entry(entry: EntryInput, today: dt.date) -> dt.date:
    """Check an entry's fields; return the day it happened. Raises Invalid listing every problem."""
    problems: list[FieldError] = []

    def bad(field: str, message: str) -> None:
        problems.append(FieldError(field=field, message=message))

    if entry.kind not in KINDS:
        bad("kind", "Please choose a victory, a setback or a mood check-in.")
    text = entry.text.strip()
    if entry.kind in ("victory", "setback") and not text:
        bad("text", "Please write a few words about it.")
    limit = NOTE_MAX if entry.kind == "mood" else TEXT_MAX
    if len(text) > limit:
        bad("text", f"Please keep it to {limit} characters or fewer.")
    if entry.helped.strip() and entry.kind != "setback":
        bad("helped", "'What helped' goes with a setback.")
    if len(entry.helped.strip()) > NOTE_MAX:
        bad("helped", f"Please keep it to {NOTE_MAX} characters or fewer.")
    if entry.kind == "mood" and (entry.mood is None or not MOOD_MIN <= entry.mood <= MOOD_MAX):
        bad("mood", f"Please choose your mood from {MOOD_MIN} to {MOOD_MAX}.")
    if entry.kind != "mood" and entry.mood is not None:
        bad("mood", "A mood goes with a mood check-in.")
    unknown = [t for t in entry.themes if t not in RECOVERY_THEMES]
    if unknown:
        bad("themes", "Please choose themes from the list.")
    if len(set(entry.themes)) > THEMES_MAX:
        bad("themes", f"Please choose at most {THEMES_MAX} themes.")
    day = entry.occurred_on or today
    if day > today:
        bad("occurred_on", "That day hasn't happened yet. Please choose today or an earlier day.")
    elif day < today - OLDEST:
        bad("occurred_on", "Please choose a day within the last five years.")
    if entry.visibility not in VISIBILITIES:
        bad("visibility", "Please choose private or shared with your supporters.")
    if problems:
        raise Invalid("Some details need another look.", errors=tuple(problems))
    return day


def record(journal: Journal | None, cmd: RecordEntry, seal: Seal) -> list[EntryEvent]:
    j, role = require_access(journal, cmd.actor_id)
    if role is Access.ENCOURAGER:
        raise Forbidden("Encouragers can add notes, but only the member or a keeper writes entries.")
    if role is Access.KEEPER and j.stage == "member_keeps":
        raise Forbidden("The member keeps this journal now; you can still add notes and observations.")
    day = validate_entry(cmd.entry, cmd.today)
    on_behalf = role is Access.KEEPER
    return [
        EntryRecorded(
            entry_id=cmd.entry_id, journal_id=j.journal_id, owner_id=j.owner_id, kind=cmd.entry.kind,
            text=seal(cmd.entry.text), helped=seal(cmd.entry.helped), mood=cmd.entry.mood, themes=_themes(cmd.entry.themes),
            occurred_on=day, author_id=cmd.actor_id, on_behalf=on_behalf, visibility=cmd.entry.visibility,
            # in "kept together" the member confirms what others wrote for them; while a supporter
            # keeps the journal, what they write needs no confirmation
            needs_confirmation=on_behalf and j.stage == "kept_together",
            recorded_at=cmd.now,
        )
    ]  # fmt: skip


def _entry_in(journal: Journal | None, entry: Entry | None, actor: UUID) -> tuple[Journal, Access, Entry]:
    j, role = require_access(journal, actor)
    if (
        entry is None
        or entry.journal_id != j.journal_id
        or not sees_entry(role, actor, entry.visibility, entry.author_id)
    ):
        raise NotFound("We couldn't find that entry.")
    return j, role, entry


def edit(journal: Journal | None, entry: Entry | None, cmd: EditEntry, seal: Seal) -> list[EntryEvent]:
    _, role, e = _entry_in(journal, entry, cmd.actor_id)
    if e.retracted:
        raise Conflict("This entry was retracted, so it can't be edited.")
    if role is not Access.OWNER and e.author_id != cmd.actor_id:
        raise Forbidden("Only the person who wrote this entry, or the member, can edit it.")
    if cmd.entry.kind != e.kind:
        raise Invalid("An entry keeps its kind; record a new one instead.")
    day = validate_entry(cmd.entry, cmd.today)
    return [
        EntryEdited(
            entry_id=e.entry_id, text=seal(cmd.entry.text), helped=seal(cmd.entry.helped), mood=cmd.entry.mood,
            themes=_themes(cmd.entry.themes), occurred_on=day, visibility=cmd.entry.visibility,
            edited_by=cmd.actor_id, edited_at=cmd.now,
        )
    ]  # fmt: skip


def retract(journal: Journal | None, entry: Entry | None, actor: UUID, now: dt.datetime) -> list[EntryEvent]:
    _, role, e = _entry_in(journal, entry, actor)
    if role is not Access.OWNER and e.author_id != actor:
        raise Forbidden("Only the person who wrote this entry, or the member, can retract it.")
    if e.retracted:
        return []
    return [EntryRetracted(entry_id=e.entry_id, retracted_by=actor, retracted_at=now)]


def confirm(journal: Journal | None, entry: Entry | None, actor: UUID, now: dt.datetime) -> list[EntryEvent]:
    _, role, e = _entry_in(journal, entry, actor)
    if role is not Access.OWNER:
        raise Forbidden("Only the member confirms entries written for them.")
    if not e.needs_confirmation or e.confirmed or e.retracted:
        raise Conflict("This entry doesn't need confirming.")
    return [EntryConfirmed(entry_id=e.entry_id, confirmed_by=actor, confirmed_at=now)]


def add_note(
    journal: Journal | None, entry: Entry | None, actor: UUID, note_id: UUID, text: str, seal: Seal, now: dt.datetime
) -> list[EntryEvent]:
    """``seal`` seals twice: with the author's key inside, the journal's outside (ADR 35)."""
    j, _, e = _entry_in(journal, entry, actor)
    check_short_text(text)
    return [
        NoteAdded(
            note_id=note_id, entry_id=e.entry_id, journal_id=j.journal_id, owner_id=j.owner_id, author_id=actor,
            text=seal(text.strip()), added_at=now, author_sealed=True,
        )
    ]  # fmt: skip


def _themes(themes: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(themes))
