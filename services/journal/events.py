"""Events of the journal service. Private text is sealed with the journal's key before it
becomes an event (a supporter's notes and observations also with their own key, inside: ADR 35);
names do not travel (ADR 35: read models name people from ``people`` by id); tags are stable wire
names."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from shared.contracts.erasure import APPLIED
from shared.messages import Event, EventRegistry

# --- the journal: who keeps it, who supports it, which handover stage it is in ---------------


class JournalStarted(Event, tag="journal.journal_started.v1", frozen=True, kw_only=True):
    journal_id: UUID
    owner_id: UUID | None  # None while kept for someone who has not joined yet
    # "" since ADR 35 (names are read from ``people`` by id). Events written before it hold the
    # owner's pseudonym here, and those written before ADR 18 the name given for someone, in clear.
    owner_name: str = ""
    started_by: UUID
    stage: str
    started_at: dt.datetime
    for_name: str = ""  # sealed with the journal's key: the name a supporter gave when starting it


class JournalClaimed(Event, tag="journal.journal_claimed.v1", frozen=True, kw_only=True):
    journal_id: UUID
    owner_id: UUID
    owner_name: str = ""  # "" since ADR 35; the claimer's pseudonym in events written before it
    claimed_at: dt.datetime


class ClaimCodeIssued(Event, tag="journal.claim_code_issued.v1", frozen=True, kw_only=True):
    """Private (never published): its hash is what a claim link's code is checked against."""

    journal_id: UUID
    code_hash: str
    issued_by: UUID
    issued_at: dt.datetime


class SupporterInvited(Event, tag="journal.supporter_invited.v1", frozen=True, kw_only=True):
    journal_id: UUID
    owner_id: UUID
    supporter_id: UUID
    supporter_name: str = ""  # "" since ADR 35; the supporter's pseudonym in events written before it
    role: str
    invited_at: dt.datetime


class SupporterJoined(Event, tag="journal.supporter_joined.v1", frozen=True, kw_only=True):
    journal_id: UUID
    owner_id: UUID | None
    supporter_id: UUID
    role: str
    joined_at: dt.datetime


class InvitationDeclined(Event, tag="journal.invitation_declined.v1", frozen=True, kw_only=True):
    journal_id: UUID
    supporter_id: UUID
    declined_at: dt.datetime


class SupporterRoleChanged(Event, tag="journal.supporter_role_changed.v1", frozen=True, kw_only=True):
    journal_id: UUID
    supporter_id: UUID
    role: str
    changed_at: dt.datetime


class SupporterRemoved(Event, tag="journal.supporter_removed.v1", frozen=True, kw_only=True):
    journal_id: UUID
    owner_id: UUID | None
    supporter_id: UUID
    removed_at: dt.datetime


class HandoverProposed(Event, tag="journal.handover_proposed.v1", frozen=True, kw_only=True):
    journal_id: UUID
    owner_id: UUID | None
    stage: str
    proposed_by: UUID
    proposed_at: dt.datetime


class HandoverAccepted(Event, tag="journal.handover_accepted.v1", frozen=True, kw_only=True):
    journal_id: UUID
    owner_id: UUID
    stage: str
    accepted_at: dt.datetime


class HandoverDeclined(Event, tag="journal.handover_declined.v1", frozen=True, kw_only=True):
    """The member said no to a proposed stage; the journal stays where it was."""

    journal_id: UUID
    owner_id: UUID
    stage: str
    declined_at: dt.datetime


# --- entries --------------------------------------------------------------------------------


class EntryRecorded(Event, tag="journal.entry_recorded.v1", frozen=True, kw_only=True):
    entry_id: UUID
    journal_id: UUID
    owner_id: UUID | None
    kind: str  # victory | setback | mood
    text: str  # sealed
    helped: str = ""  # sealed; setbacks: what helped / what I'll try
    mood: int | None = None
    themes: tuple[str, ...] = ()
    occurred_on: dt.date
    author_id: UUID
    on_behalf: bool
    visibility: str
    needs_confirmation: bool = False
    recorded_at: dt.datetime


class EntryEdited(Event, tag="journal.entry_edited.v1", frozen=True, kw_only=True):
    entry_id: UUID
    text: str  # sealed
    helped: str = ""
    mood: int | None = None
    themes: tuple[str, ...] = ()
    occurred_on: dt.date
    visibility: str
    edited_by: UUID
    edited_at: dt.datetime


class EntryRetracted(Event, tag="journal.entry_retracted.v1", frozen=True, kw_only=True):
    entry_id: UUID
    retracted_by: UUID
    retracted_at: dt.datetime


class EntryConfirmed(Event, tag="journal.entry_confirmed.v1", frozen=True, kw_only=True):
    entry_id: UUID
    confirmed_by: UUID
    confirmed_at: dt.datetime


class NoteAdded(Event, tag="journal.note_added.v1", frozen=True, kw_only=True):
    note_id: UUID
    entry_id: UUID
    journal_id: UUID
    owner_id: UUID | None
    author_id: UUID
    text: str  # sealed with the journal's key; when ``author_sealed``, around a seal with the author's key
    added_at: dt.datetime
    author_sealed: bool = False  # False in notes written before ADR 35 (the journal's key alone)


# --- "progress you can't see" ---------------------------------------------------------------


class ObservationAdded(Event, tag="journal.observation_added.v1", frozen=True, kw_only=True):
    observation_id: UUID
    journal_id: UUID
    owner_id: UUID | None
    author_id: UUID
    text: str  # sealed with the journal's key; when ``author_sealed``, around a seal with the author's key
    added_at: dt.datetime
    author_sealed: bool = False  # False in observations written before ADR 35 (the journal's key alone)


class ObservationResolved(Event, tag="journal.observation_resolved.v1", frozen=True, kw_only=True):
    """An accepted observation becomes the member's record: since ADR 35 the event carries it whole,
    its text sealed with the journal's key alone, so that it stays when its author leaves."""

    observation_id: UUID
    resolution: str  # kept_private | accepted | dismissed
    resolved_at: dt.datetime
    journal_id: UUID | None = None  # None in events written before ADR 35
    author_id: UUID | None = None
    added_at: dt.datetime | None = None
    record: str = ""  # accepted: the text, sealed with the journal's key alone ("" otherwise)


# --- erasure --------------------------------------------------------------------------------


class MemberErased(Event, tag=APPLIED["journal"], frozen=True, kw_only=True):
    """The journal has erased what it kept of a member (ids only): the journals that were theirs
    (read models purged, keys destroyed), their supporter places, notes and observations, their
    own key and their name. Accounts follows it to know the erasure is done here."""

    member_id: UUID
    journals: tuple[UUID, ...] = ()
    erased_at: dt.datetime


JournalEvent = (
    JournalStarted
    | JournalClaimed
    | ClaimCodeIssued
    | SupporterInvited
    | SupporterJoined
    | InvitationDeclined
    | SupporterRoleChanged
    | SupporterRemoved
    | HandoverProposed
    | HandoverAccepted
    | HandoverDeclined
)
EntryEvent = EntryRecorded | EntryEdited | EntryRetracted | EntryConfirmed | NoteAdded
ObservationEvent = ObservationAdded | ObservationResolved

REGISTRY = EventRegistry(
    [
        JournalStarted, JournalClaimed, ClaimCodeIssued, SupporterInvited, SupporterJoined,
        InvitationDeclined, SupporterRoleChanged, SupporterRemoved, HandoverProposed,
        HandoverAccepted, HandoverDeclined, EntryRecorded, EntryEdited, EntryRetracted, EntryConfirmed, NoteAdded,
        ObservationAdded, ObservationResolved, MemberErased,
    ],
    private=[ClaimCodeIssued],
)  # fmt: skip


def journal_stream(journal_id: UUID) -> str:
    return f"journal-{journal_id}"


def entry_stream(entry_id: UUID) -> str:
    return f"entry-{entry_id}"


def observation_stream(observation_id: UUID) -> str:
    return f"observation-{observation_id}"
