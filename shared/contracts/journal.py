"""Wire contracts of the journal service. Text travels in plain form between web and the
journal service only; the service seals it before it becomes an event or a row."""

from __future__ import annotations

import datetime as dt
from typing import Annotated
from uuid import UUID

import msgspec

from shared.contracts.common import PLAIN_TEXT, VERSION_MAX, Acted, text
from shared.contracts.verbs import Verb
from shared.contracts.vocabulary import RECOVERY_THEMES

SERVICE = "journal"

THEMES = RECOVERY_THEMES  # part of the contract: web offers these

# The limits of what the journal accepts, named once: the wire types below, the HTTP schemas
# (web/api/journal_schemas.py), the domain's messages and the pages' maxlength take them from here.
ENTRY_TEXT_MAX = 2_000  # a victory's or a setback's text
NOTE_MAX = 1_000  # a mood's note, "what helped", a supporter's note or observation
THEMES_MAX = 5
MOOD_MIN, MOOD_MAX = 1, 5
FOR_NAME_MAX = 40  # the first name or nickname of someone a journal is started for
CLAIM_CODE_MAX = 64
PAGE_MAX = 10_000
EntryText = Annotated[str, text(ENTRY_TEXT_MAX)]
NoteText = Annotated[str, text(NOTE_MAX)]
Themes = Annotated[tuple[str, ...], msgspec.Meta(max_length=THEMES_MAX)]
ForName = Annotated[str, text(FOR_NAME_MAX)]
ClaimCode = Annotated[str, text(CLAIM_CODE_MAX)]
Page = Annotated[int, msgspec.Meta(ge=1, le=PAGE_MAX)]
STAGE_LABELS = {
    "supporter_keeps": "Supporter keeps the journal",
    "kept_together": "Kept together: the member confirms entries written for them",
    "member_keeps": "Member keeps the journal, supporters encourage",
}


class Actor(Acted, frozen=True, kw_only=True):
    """A journal request; who acts comes from the actor header (``shared.contracts.common.Acted``)."""


class Creating(Actor, frozen=True, kw_only=True):
    """A request that creates something. A repeat with the same key returns the first reply and
    stores nothing new (see ``shared.idempotency``)."""

    idempotency_key: Annotated[str, msgspec.Meta(min_length=1, max_length=255, pattern=PLAIN_TEXT)] | None = None


class EntryFields(msgspec.Struct, frozen=True, kw_only=True):
    kind: str
    text: EntryText = ""
    helped: NoteText = ""
    mood: int | None = None  # MOOD_MIN..MOOD_MAX, checked by the domain, which says so kindly
    themes: Themes = ()
    occurred_on: dt.date | None = None
    visibility: str = "private"


class RecordRequest(Creating, frozen=True, kw_only=True):
    journal_id: UUID | None = None  # None: my own journal
    entry: EntryFields
    entry_id: UUID | None = None  # made by the client, or by the service


class EditRequest(Actor, frozen=True, kw_only=True):
    entry_id: UUID
    expected_version: Annotated[int, msgspec.Meta(ge=0, le=VERSION_MAX)]
    entry: EntryFields


class EntryRequest(Actor, frozen=True, kw_only=True):
    entry_id: UUID


class NoteRequest(Creating, frozen=True, kw_only=True):
    entry_id: UUID
    text: NoteText


class JournalRequest(Actor, frozen=True, kw_only=True):
    journal_id: UUID | None = None


class ObserveRequest(Creating, frozen=True, kw_only=True):
    journal_id: UUID
    text: NoteText


class ResolveRequest(Actor, frozen=True, kw_only=True):
    observation_id: UUID
    resolution: str


class TimelineRequest(Actor, frozen=True, kw_only=True):
    journal_id: UUID | None = None
    kind: str = ""
    theme: str = ""
    author: str = ""  # "", "me" or "others"
    page: Page = 1


class Saved(msgspec.Struct, frozen=True, kw_only=True):
    """A write went through. ``crisis`` asks web to show the writer the helpline message."""

    id: UUID | None = None
    crisis: bool = False


class SupporterView(msgspec.Struct, frozen=True, kw_only=True):
    supporter_id: UUID
    name: str
    role: str
    status: str  # invited | active


class JournalView(msgspec.Struct, frozen=True, kw_only=True):
    journal_id: UUID
    exists: bool
    owner_id: UUID | None
    owner_name: str
    stage: str
    pending_stage: str | None
    access: str  # owner | keeper | encourager
    supporters: tuple[SupporterView, ...] = ()


class NoteView(msgspec.Struct, frozen=True, kw_only=True):
    note_id: UUID
    author_name: str
    text: str
    added_at: dt.datetime


class EntryView(msgspec.Struct, frozen=True, kw_only=True):
    entry_id: UUID
    version: int
    kind: str
    text: str
    helped: str
    mood: int | None
    themes: tuple[str, ...]
    occurred_on: dt.date
    author_id: UUID
    author_name: str
    on_behalf: bool
    visibility: str
    needs_confirmation: bool
    confirmed: bool
    edited: bool
    notes: tuple[NoteView, ...] = ()


class ObservationView(msgspec.Struct, frozen=True, kw_only=True):
    observation_id: UUID
    journal_id: UUID
    author_name: str
    text: str
    status: str
    added_at: dt.datetime


class TimelineItem(msgspec.Struct, frozen=True, kw_only=True):
    day: dt.date
    kind: str  # victory | setback | mood | observation | handover
    entry: EntryView | None = None
    text: str = ""
    by: str = ""  # who noticed an observation, or who took a handover step
    step: str = ""  # a handover step: proposed | accepted | declined
    stage: str = ""  # the stage a handover step is about
    private: bool = False  # an observation the member keeps just for themselves


class TimelineView(msgspec.Struct, frozen=True, kw_only=True):
    journal: JournalView
    items: tuple[TimelineItem, ...]
    page: int
    has_more: bool
    pending: tuple[ObservationView, ...] = ()  # the owner's undecided observations, on page 1


class ObservationsView(msgspec.Struct, frozen=True, kw_only=True):
    items: tuple[ObservationView, ...]


class SupportedJournal(msgspec.Struct, frozen=True, kw_only=True):
    journal_id: UUID
    owner_name: str
    role: str
    status: str  # invited | active
    stage: str
    claim_pending: bool
    pending_stage: str | None = None  # a handover step waiting for the member's answer


class NextSteps(msgspec.Struct, frozen=True, kw_only=True):
    """What waits for a person in the journal, for their home page."""

    has_entries: bool = False  # anything in their own journal yet
    pending_stage: str | None = None  # a handover step proposed to them
    proposed_by: str = ""
    to_confirm: int = 0  # entries written for them, waiting for their confirmation
    observations: int = 0  # progress someone noticed, waiting for their decision
    supporting: tuple[SupportedJournal, ...] = ()  # invitations and journals they support


class WeekMood(msgspec.Struct, frozen=True, kw_only=True):
    week_start: dt.date
    average: float
    count: int


class ThemeCount(msgspec.Struct, frozen=True, kw_only=True):
    theme: str
    label: str
    count: int


class PeriodSummary(msgspec.Struct, frozen=True, kw_only=True):
    label: str
    victories: int
    setbacks: int
    mood_average: float | None


class ProgressView(msgspec.Struct, frozen=True, kw_only=True):
    journal: JournalView
    weeks: tuple[WeekMood, ...]
    themes: tuple[ThemeCount, ...]
    bounce_back_days: tuple[int, ...]  # each bounce-back, oldest first; with many, the most recent few
    first: PeriodSummary | None
    last: PeriodSummary | None
    total_victories: int
    # with many bounce-backs: the middle number of days of the most recent ones, and how many those are
    bounce_back_typical: int | None = None
    bounce_back_sample: int = 0


class ExportView(msgspec.Struct, frozen=True, kw_only=True):
    journal: JournalView
    entries: tuple[EntryView, ...]
    observations: tuple[ObservationView, ...]


class DraftRequest(Actor, frozen=True, kw_only=True):
    """A story draft from the asker's own journal: chosen entries, or a period (or both)."""

    entry_ids: Annotated[tuple[UUID, ...], msgspec.Meta(max_length=50)] = ()
    since: dt.date | None = None
    until: dt.date | None = None


class StoryDraft(msgspec.Struct, frozen=True, kw_only=True):
    title: str
    body: str
    themes: tuple[str, ...] = ()
    entries: int = 0
    note: str = ""  # when there is nothing to draft from: why, and what to do next, in the author's words


# The journal's verbs: served by services/journal/endpoints.py, asked by web.
RECORD = Verb(SERVICE, "record", RecordRequest, Saved)
EDIT = Verb(SERVICE, "edit", EditRequest, Saved)
RETRACT = Verb(SERVICE, "retract", EntryRequest, Saved)
CONFIRM = Verb(SERVICE, "confirm", EntryRequest, Saved)
NOTE = Verb(SERVICE, "note", NoteRequest, Saved)
OBSERVE = Verb(SERVICE, "observe", ObserveRequest, Saved)
RESOLVE_OBSERVATION = Verb(SERVICE, "resolve_observation", ResolveRequest, Saved)
VIEW = Verb(SERVICE, "view", JournalRequest, JournalView)
TIMELINE = Verb(SERVICE, "timeline", TimelineRequest, TimelineView)
ENTRY = Verb(SERVICE, "entry", EntryRequest, EntryView)
OBSERVATIONS = Verb(SERVICE, "observations", JournalRequest, ObservationsView)
NEXT_STEPS = Verb(SERVICE, "next_steps", Actor, NextSteps)
PROGRESS = Verb(SERVICE, "progress", JournalRequest, ProgressView)
EXPORT = Verb(SERVICE, "export", JournalRequest, ExportView)
DRAFT_STORY = Verb(SERVICE, "draft_story", DraftRequest, StoryDraft)
