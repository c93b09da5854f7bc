"""What another service may read of the journal events it follows: who keeps, supports and writes
in which journal, never what anyone wrote (entry, note and observation text is sealed in the
events and not named here). Tied to the journal registry by tests/unit/notifications/test_followed_events.py."""

from __future__ import annotations

from uuid import UUID

import msgspec

JOURNAL_STARTED = "journal.journal_started.v1"
JOURNAL_CLAIMED = "journal.journal_claimed.v1"
SUPPORTER_INVITED = "journal.supporter_invited.v1"
SUPPORTER_JOINED = "journal.supporter_joined.v1"
INVITATION_DECLINED = "journal.invitation_declined.v1"
SUPPORTER_ROLE_CHANGED = "journal.supporter_role_changed.v1"
SUPPORTER_REMOVED = "journal.supporter_removed.v1"
HANDOVER_PROPOSED = "journal.handover_proposed.v1"
HANDOVER_ACCEPTED = "journal.handover_accepted.v1"
HANDOVER_DECLINED = "journal.handover_declined.v1"
ENTRY_RECORDED = "journal.entry_recorded.v1"
NOTE_ADDED = "journal.note_added.v1"
OBSERVATION_ADDED = "journal.observation_added.v1"
FOR_NOTIFICATIONS = (
    JOURNAL_STARTED, JOURNAL_CLAIMED, SUPPORTER_INVITED, SUPPORTER_JOINED, INVITATION_DECLINED,
    SUPPORTER_ROLE_CHANGED, SUPPORTER_REMOVED, HANDOVER_PROPOSED, HANDOVER_ACCEPTED, HANDOVER_DECLINED,
    ENTRY_RECORDED, NOTE_ADDED, OBSERVATION_ADDED,
)  # fmt: skip


class JournalSeen(msgspec.Struct, frozen=True, kw_only=True):
    """One journal event as the inbox reads it: the journal, its owner (None while it is kept for
    someone who has not joined), the supporter it is about, a role or a stage, who proposed."""

    journal_id: UUID
    owner_id: UUID | None = None
    started_by: UUID | None = None
    supporter_id: UUID | None = None
    role: str = ""
    stage: str = ""
    proposed_by: UUID | None = None


class WritingSeen(msgspec.Struct, frozen=True, kw_only=True):
    """An entry, note or observation written in a journal: by whom, and for whom; no text."""

    journal_id: UUID
    owner_id: UUID | None = None
    author_id: UUID
    on_behalf: bool = True
    needs_confirmation: bool = False
