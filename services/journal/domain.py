"""The journal: who may do what, and what it records. Pure functions; no I/O, no clock.

Text is validated here in plain form; handlers seal it with the journal's key afterwards.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable
from typing import TypeVar, assert_never
from uuid import UUID

import msgspec

from services.journal.commands import EditEntry, EntryInput, RecordEntry
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
from shared.contracts.journal import ENTRY_TEXT_MAX as TEXT_MAX
from shared.contracts.journal import FOR_NAME_MAX, MOOD_MAX, MOOD_MIN, NOTE_MAX, THEMES_MAX
from shared.contracts.vocabulary import KINDS, RECOVERY_THEMES, RESOLUTIONS, ROLES, STAGES, VISIBILITIES
from shared.errors import Conflict, FieldError, Forbidden, Invalid, NotFound

T = TypeVar("T")
Seal = Callable[[str], str]
"""Seals plain text with the journal's key; called only once every check has passed."""

OLDEST = dt.timedelta(days=366 * 5)


class Access(enum.Enum):
    OWNER = "owner"
    KEEPER = "keeper"
    ENCOURAGER = "encourager"
    NONE = "none"


class Supporter(msgspec.Struct, frozen=True, kw_only=True):
    supporter_id: UUID
    name: str
    role: str
    active: bool


class Journal(msgspec.Struct, frozen=True, kw_only=True):
    journal_id: UUID
    owner_id: UUID | None
    owner_name: str
    started_by: UUID
    stage: str
    supporters: dict[UUID, Supporter] = {}
    pending_stage: str | None = None
    claim_code_hash: str | None = None


class Entry(msgspec.Struct, frozen=True, kw_only=True):
    entry_id: UUID
    journal_id: UUID
    kind: str
    author_id: UUID
    visibility: str
    needs_confirmation: bool
    confirmed: bool = False
    retracted: bool = False


class Observation(msgspec.Struct, frozen=True, kw_only=True):
    observation_id: UUID
    journal_id: UUID
    resolved: bool = False


# --- who may do what -----------------------------------------------------------------------


def access(journal: Journal | None, actor: UUID) -> Access:
    if journal is None:
        return Access.NONE
    if journal.owner_id == actor:
        return Access.OWNER
    supporter = journal.supporters.get(actor)
    if supporter is None or not supporter.active:
        return Access.NONE
    return Access.KEEPER if supporter.role == "keeper" else Access.ENCOURAGER


def can_see(journal: Journal | None, actor: UUID, visibility: str, author_id: UUID) -> bool:
    role = access(journal, actor)
    if role is Access.OWNER:
        return True
    if role is Access.NONE:
        return False
    return visibility == "supporters" or author_id == actor


def require_access(journal: Journal | None, actor: UUID) -> tuple[Journal, Access]:
    """Anyone without access learns nothing, not even that the journal exists."""
    role = access(journal, actor)
    if journal is None or role is Access.NONE:
        raise NotFound("We couldn't find that journal.")
    return journal, role


def _require_owner(journal: Journal | None, actor: UUID) -> Journal:
    found, role = require_access(journal, actor)
    if role is not Access.OWNER:
        raise Forbidden("Only the person whose journal this is can do that.")
    return found


# --- folding events into state ---------------------------------------------------------------


def evolve_journal(state: Journal | None, event: JournalEvent) -> Journal:
    match event:
        case JournalStarted():
            supporters = {}
            if event.owner_id is None:  # kept by the one who started it
                supporters[event.started_by] = Supporter(
                    supporter_id=event.started_by, name="", role="keeper", active=True
                )
            return Journal(
                journal_id=event.journal_id, owner_id=event.owner_id, owner_name=event.owner_name,
                started_by=event.started_by, stage=event.stage, supporters=supporters,
            )  # fmt: skip
        case JournalClaimed():
            return msgspec.structs.replace(
                _req(state), owner_id=event.owner_id, owner_name=event.owner_name, claim_code_hash=None
            )
        case ClaimCodeIssued():
            return msgspec.structs.replace(_req(state), claim_code_hash=event.code_hash)
        case SupporterInvited():
            s = Supporter(supporter_id=event.supporter_id, name=event.supporter_name, role=event.role, active=False)
            return _with_supporter(_req(state), s)
        case SupporterJoined():
            j = _req(state)
            return _with_supporter(
                j, msgspec.structs.replace(j.supporters[event.supporter_id], active=True, role=event.role)
            )
        case SupporterRoleChanged():
            j = _req(state)
            return _with_supporter(j, msgspec.structs.replace(j.supporters[event.supporter_id], role=event.role))
        case InvitationDeclined() | SupporterRemoved():
            j = _req(state)
            return msgspec.structs.replace(
                j, supporters={k: v for k, v in j.supporters.items() if k != event.supporter_id}
            )
        case HandoverProposed():
            return msgspec.structs.replace(_req(state), pending_stage=event.stage)
        case HandoverAccepted():
            return msgspec.structs.replace(_req(state), stage=event.stage, pending_stage=None)
        case HandoverDeclined():
            return msgspec.structs.replace(_req(state), pending_stage=None)
        case _:
            assert_never(event)


def evolve_entry(state: Entry | None, event: EntryEvent) -> Entry:
    match event:
        case EntryRecorded():
            return Entry(
                entry_id=event.entry_id, journal_id=event.journal_id, kind=event.kind, author_id=event.author_id,
                visibility=event.visibility, needs_confirmation=event.needs_confirmation,
            )  # fmt: skip
        case EntryEdited():
            return msgspec.structs.replace(_req(state), visibility=event.visibility)
        case EntryRetracted():
            return msgspec.structs.replace(_req(state), retracted=True)
        case EntryConfirmed():
            return msgspec.structs.replace(_req(state), confirmed=True)
        case NoteAdded():
            return _req(state)
        case _:
            assert_never(event)


def evolve_observation(state: Observation | None, event: ObservationEvent) -> Observation:
    match event:
        case ObservationAdded():
            return Observation(observation_id=event.observation_id, journal_id=event.journal_id)
        case ObservationResolved():
            return msgspec.structs.replace(_req(state), resolved=True)
        case _:
            assert_never(event)


# --- decisions: the journal ------------------------------------------------------------------


def start_own(journal_id: UUID, member_id: UUID, name: str, now: dt.datetime) -> list[JournalEvent]:
    return [
        JournalStarted(
            journal_id=journal_id, owner_id=member_id, owner_name=name, started_by=member_id,
            stage="member_keeps", started_at=now,
        )
    ]  # fmt: skip


def start_for(
    journal_id: UUID, for_name: str, keeper_id: UUID, code_hash: str, now: dt.datetime, seal: Seal
) -> list[JournalEvent]:
    """The name given is personal (often a real first name): it is sealed before it is an event."""
    name = " ".join(for_name.split())
    if not 1 <= len(name) <= FOR_NAME_MAX:
        message = f"Please give a first name or nickname of up to {FOR_NAME_MAX} characters."
        raise Invalid(message, errors=(FieldError(field="for_name", message=message),))
    return [
        JournalStarted(
            journal_id=journal_id, owner_id=None, owner_name="", for_name=seal(name), started_by=keeper_id,
            stage="supporter_keeps", started_at=now,
        ),
        ClaimCodeIssued(journal_id=journal_id, code_hash=code_hash, issued_by=keeper_id, issued_at=now),
    ]  # fmt: skip


def claim(journal: Journal | None, member_id: UUID, name: str, now: dt.datetime) -> list[JournalEvent]:
    if journal is None or journal.owner_id is not None or journal.claim_code_hash is None:
        raise NotFound("This invitation link is no longer valid. Ask the person who sent it for a new one.")
    if member_id in journal.supporters:
        raise Conflict("You keep this journal for someone else; they need to open this link themselves.")
    return [JournalClaimed(journal_id=journal.journal_id, owner_id=member_id, owner_name=name, claimed_at=now)]


def invite(
    journal: Journal | None, actor: UUID, supporter_id: UUID, name: str, role: str, now: dt.datetime
) -> list[JournalEvent]:
    j = _require_owner(journal, actor)
    if role not in ROLES:
        raise Invalid(
            "Please choose encourager or keeper.",
            errors=(FieldError(field="role", message="Please choose encourager or keeper."),),
        )
    if supporter_id == actor:
        raise Invalid(
            "You can't invite yourself.", errors=(FieldError(field="pseudonym", message="You can't invite yourself."),)
        )
    if supporter_id in j.supporters:
        raise Conflict(f"{name} is already invited or supporting you.")
    return [SupporterInvited(journal_id=j.journal_id, owner_id=actor, supporter_id=supporter_id, supporter_name=name, role=role, invited_at=now)]  # fmt: skip


def respond(journal: Journal | None, actor: UUID, accept: bool, now: dt.datetime) -> list[JournalEvent]:
    supporter = journal.supporters.get(actor) if journal else None
    if journal is None or supporter is None or supporter.active:
        raise NotFound("There is no open invitation for you here.")
    if accept:
        return [SupporterJoined(journal_id=journal.journal_id, owner_id=journal.owner_id, supporter_id=actor, role=supporter.role, joined_at=now)]  # fmt: skip
    return [InvitationDeclined(journal_id=journal.journal_id, supporter_id=actor, declined_at=now)]


def change_role(
    journal: Journal | None, actor: UUID, supporter_id: UUID, role: str, now: dt.datetime
) -> list[JournalEvent]:
    j = _require_owner(journal, actor)
    if role not in ROLES:
        raise Invalid("Please choose encourager or keeper.")
    current = j.supporters.get(supporter_id)
    if current is None:
        raise NotFound("That person is not one of your supporters.")
    if current.role == role:
        return []
    return [SupporterRoleChanged(journal_id=j.journal_id, supporter_id=supporter_id, role=role, changed_at=now)]


def remove(journal: Journal | None, actor: UUID, supporter_id: UUID, now: dt.datetime) -> list[JournalEvent]:
    """The member revokes a supporter at any time; a supporter may also step back."""
    j, role = require_access(journal, actor) if actor != supporter_id else (journal, Access.NONE)
    if j is None or supporter_id not in j.supporters:
        raise NotFound("That person is not one of your supporters.")
    if actor != supporter_id and role is not Access.OWNER:
        raise Forbidden("Only the person whose journal this is can remove a supporter.")
    if j.owner_id is None and supporter_id == j.started_by:
        raise Conflict("This journal is waiting for its owner; its keeper can't leave yet.")
    return [SupporterRemoved(journal_id=j.journal_id, owner_id=j.owner_id, supporter_id=supporter_id, removed_at=now)]


def propose_stage(journal: Journal | None, actor: UUID, stage: str, now: dt.datetime) -> list[JournalEvent]:
    if stage not in STAGES:
        raise Invalid("Please choose one of the three stages.")
    j, role = require_access(journal, actor)
    if role is Access.ENCOURAGER:
        raise Forbidden("Only the member or a keeper can propose a handover stage.")
    if stage == j.stage:
        raise Conflict("The journal is already at that stage.")
    if role is Access.KEEPER and j.pending_stage is not None:
        raise Conflict(
            "A handover step is already waiting for an answer. It stays as it is until it is accepted or"
            " declined; then you can propose another."
        )
    proposed = HandoverProposed(
        journal_id=j.journal_id, owner_id=j.owner_id, stage=stage, proposed_by=actor, proposed_at=now
    )
    if role is Access.OWNER:  # the member's own proposal needs no second step
        return [proposed, HandoverAccepted(journal_id=j.journal_id, owner_id=actor, stage=stage, accepted_at=now)]
    return [proposed]


def accept_stage(journal: Journal | None, actor: UUID, now: dt.datetime) -> list[JournalEvent]:
    j = _require_owner(journal, actor)
    if j.pending_stage is None:
        raise Conflict("There is no handover proposal waiting for you.")
    return [HandoverAccepted(journal_id=j.journal_id, owner_id=actor, stage=j.pending_stage, accepted_at=now)]


def decline_stage(journal: Journal | None, actor: UUID, now: dt.datetime) -> list[JournalEvent]:
    j = _require_owner(journal, actor)
    if j.pending_stage is None:
        raise Conflict("There is no handover proposal waiting for you.")
    return [HandoverDeclined(journal_id=j.journal_id, owner_id=actor, stage=j.pending_stage, declined_at=now)]


# --- decisions: entries, notes and observations ----------------------------------------------


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
    if entry is None or entry.journal_id != j.journal_id or not can_see(j, actor, entry.visibility, entry.author_id):
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
    j, _, e = _entry_in(journal, entry, actor)
    _check_short_text(text)
    return [NoteAdded(note_id=note_id, entry_id=e.entry_id, journal_id=j.journal_id, owner_id=j.owner_id, author_id=actor, text=seal(text.strip()), added_at=now)]  # fmt: skip


def observe(
    journal: Journal | None, actor: UUID, observation_id: UUID, text: str, seal: Seal, now: dt.datetime
) -> list[ObservationEvent]:
    j, role = require_access(journal, actor)
    if role is Access.OWNER:
        raise Forbidden("Observations come from supporters; record it as an entry instead.")
    _check_short_text(text)
    return [ObservationAdded(observation_id=observation_id, journal_id=j.journal_id, owner_id=j.owner_id, author_id=actor, text=seal(text.strip()), added_at=now)]  # fmt: skip


def resolve(
    journal: Journal | None, observation: Observation | None, actor: UUID, resolution: str, now: dt.datetime
) -> list[ObservationEvent]:
    j = _require_owner(journal, actor)
    if observation is None or observation.journal_id != j.journal_id:
        raise NotFound("We couldn't find that observation.")
    if resolution not in RESOLUTIONS:
        raise Invalid("Please keep it private, add it to your record, or dismiss it.")
    if observation.resolved:
        raise Conflict("You have already decided about this observation.")
    return [ObservationResolved(observation_id=observation.observation_id, resolution=resolution, resolved_at=now)]


def _check_short_text(text: str) -> None:
    if not text.strip():
        raise Invalid(
            "Please write a few words.", errors=(FieldError(field="text", message="Please write a few words."),)
        )
    if len(text.strip()) > NOTE_MAX:
        message = f"Please keep it to {NOTE_MAX} characters or fewer."
        raise Invalid(message, errors=(FieldError(field="text", message=message),))


def _themes(themes: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(themes))


def _with_supporter(journal: Journal, supporter: Supporter) -> Journal:
    return msgspec.structs.replace(journal, supporters={**journal.supporters, supporter.supporter_id: supporter})


def _req(state: T | None) -> T:
    if state is None:
        raise NotFound("We couldn't find that.")
    return state
