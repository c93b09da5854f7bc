"""HTTP schemas of the journal API. They are the public contract: separate from the wire
contracts between web and the journal service, and mapped from them explicitly (``out``), so that
a change on the wire cannot change the API without a change here."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, TypeVar
from uuid import UUID

import msgspec

from shared.contracts import journal as j
from shared.contracts import vocabulary as v
from shared.contracts.accounts import PSEUDONYM_MAX
from shared.contracts.common import text
from web.api.limits import Version

OutT = TypeVar("OutT", bound=msgspec.Struct)

Kind = v.EntryKind
Visibility = v.Visibility
Role = v.SupporterRole
Stage = v.Stage
Resolution = v.Resolution
Theme = v.Theme
Mood = Annotated[int, msgspec.Meta(ge=j.MOOD_MIN, le=j.MOOD_MAX)]


def out(view: msgspec.Struct, schema: type[OutT]) -> OutT:
    """Map a wire view onto its HTTP schema, field by field by name; a missing field fails loudly."""
    return msgspec.convert(view, schema, from_attributes=True)


# --- bodies ------------------------------------------------------------------------------------


class EntryBody(msgspec.Struct, frozen=True, kw_only=True):
    kind: Kind
    text: Annotated[str, text(j.ENTRY_TEXT_MAX)] = ""
    helped: Annotated[str, text(j.NOTE_MAX)] = ""
    mood: Mood | None = None
    themes: Annotated[list[Theme], msgspec.Meta(max_length=j.THEMES_MAX)] = []
    occurred_on: dt.date | None = None
    visibility: Visibility = "private"
    journal_id: UUID | None = None


class NewEntryBody(EntryBody, frozen=True, kw_only=True):
    id: UUID | None = None  # made by the client: a repeat with the same id stores nothing new


class EditBody(EntryBody, frozen=True, kw_only=True):
    version: Version


class TextBody(msgspec.Struct, frozen=True, kw_only=True):
    text: Annotated[str, text(j.NOTE_MAX)]


class ObservationBody(TextBody, frozen=True, kw_only=True):
    journal_id: UUID


class InviteBody(msgspec.Struct, frozen=True, kw_only=True):
    pseudonym: Annotated[str, text(PSEUDONYM_MAX)]
    role: Role


class RoleBody(msgspec.Struct, frozen=True, kw_only=True):
    role: Role


class AcceptBody(msgspec.Struct, frozen=True, kw_only=True):
    accept: bool


class StageBody(msgspec.Struct, frozen=True, kw_only=True):
    stage: Stage
    journal_id: UUID | None = None


class StartForBody(msgspec.Struct, frozen=True, kw_only=True):
    for_name: Annotated[str, text(j.FOR_NAME_MAX)]


class ClaimBody(msgspec.Struct, frozen=True, kw_only=True):
    code: Annotated[str, text(j.CLAIM_CODE_MAX, min_length=1)]


class ResolveBody(msgspec.Struct, frozen=True, kw_only=True):
    resolution: Resolution


# --- answers -----------------------------------------------------------------------------------


class SavedOut(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID | None = None
    crisis: bool = False


class StartedForOut(msgspec.Struct, frozen=True, kw_only=True):
    journal_id: UUID
    claim_code: str


class SupporterOut(msgspec.Struct, frozen=True, kw_only=True):
    supporter_id: UUID
    name: str
    role: str
    status: str


class JournalOut(msgspec.Struct, frozen=True, kw_only=True):
    journal_id: UUID
    exists: bool
    owner_id: UUID | None
    owner_name: str
    stage: str
    pending_stage: str | None
    access: str
    supporters: list[SupporterOut] = []


class NoteOut(msgspec.Struct, frozen=True, kw_only=True):
    note_id: UUID
    author_name: str
    text: str
    added_at: dt.datetime


class EntryOut(msgspec.Struct, frozen=True, kw_only=True):
    entry_id: UUID
    version: int
    kind: str
    text: str
    helped: str
    mood: int | None
    themes: list[str]
    occurred_on: dt.date
    author_id: UUID
    author_name: str
    on_behalf: bool
    visibility: str
    needs_confirmation: bool
    confirmed: bool
    edited: bool
    notes: list[NoteOut] = []


class ObservationOut(msgspec.Struct, frozen=True, kw_only=True):
    observation_id: UUID
    journal_id: UUID
    author_name: str
    text: str
    status: str
    added_at: dt.datetime


class TimelineItemOut(msgspec.Struct, frozen=True, kw_only=True):
    day: dt.date
    kind: str
    entry: EntryOut | None = None
    text: str = ""
    by: str = ""
    step: str = ""
    stage: str = ""
    private: bool = False


class TimelineOut(msgspec.Struct, frozen=True, kw_only=True):
    journal: JournalOut
    items: list[TimelineItemOut]
    page: int
    has_more: bool
    pending: list[ObservationOut] = []


class ObservationsOut(msgspec.Struct, frozen=True, kw_only=True):
    items: list[ObservationOut]


class SupportedJournalOut(msgspec.Struct, frozen=True, kw_only=True):
    journal_id: UUID
    owner_name: str
    role: str
    status: str
    stage: str
    claim_pending: bool
    pending_stage: str | None = None


class SupportingOut(msgspec.Struct, frozen=True, kw_only=True):
    journals: list[SupportedJournalOut]


class NextStepsOut(msgspec.Struct, frozen=True, kw_only=True):
    has_entries: bool
    pending_stage: str | None
    proposed_by: str
    to_confirm: int
    observations: int
    supporting: list[SupportedJournalOut]


class WeekMoodOut(msgspec.Struct, frozen=True, kw_only=True):
    week_start: dt.date
    average: float
    count: int


class ThemeCountOut(msgspec.Struct, frozen=True, kw_only=True):
    theme: str
    label: str
    count: int


class PeriodOut(msgspec.Struct, frozen=True, kw_only=True):
    label: str
    victories: int
    setbacks: int
    mood_average: float | None


class ProgressOut(msgspec.Struct, frozen=True, kw_only=True):
    journal: JournalOut
    weeks: list[WeekMoodOut]
    themes: list[ThemeCountOut]
    bounce_back_days: list[int]
    first: PeriodOut | None
    last: PeriodOut | None
    total_victories: int
    bounce_back_typical: int | None = None
    bounce_back_sample: int = 0


class ExportOut(msgspec.Struct, frozen=True, kw_only=True):
    journal: JournalOut
    entries: list[EntryOut]
    observations: list[ObservationOut]
