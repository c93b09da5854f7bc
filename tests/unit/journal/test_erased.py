"""What erasure leaves out of the journal's read models (ADR 35): the same rule live and in every
rebuild. Pure: the rule over the ids that are gone."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

import pytest

from services.journal.erased import ids_of, keeps
from services.journal.events import (
    EntryEdited,
    EntryRecorded,
    HandoverProposed,
    JournalStarted,
    NoteAdded,
    ObservationAdded,
    ObservationResolved,
    SupporterInvited,
)

pytestmark = pytest.mark.unit

NOW = dt.datetime(2026, 12, 5, tzinfo=dt.UTC)
J, OWNER, GONE, OTHER = (UUID(int=i) for i in range(1, 5))


def test_nothing_of_an_erased_journal_is_projected() -> None:
    entry = EntryRecorded(
        entry_id=UUID(int=9), journal_id=J, owner_id=OWNER, kind="victory", text="v1.x", occurred_on=NOW.date(),
        author_id=OWNER, on_behalf=False, visibility="private", recorded_at=NOW,
    )  # fmt: skip
    started = JournalStarted(journal_id=J, owner_id=OWNER, started_by=OWNER, stage="member_keeps", started_at=NOW)
    for event in (entry, started):
        assert J in ids_of(event)
        assert not keeps(event, frozenset({J})) and keeps(event, frozenset({OTHER}))
    # events that name no journal change rows that are not there
    edited = EntryEdited(
        entry_id=UUID(int=9), text="v1.y", occurred_on=NOW.date(), visibility="private", edited_by=OWNER, edited_at=NOW
    )
    assert ids_of(edited) == () and keeps(edited, frozenset({J}))


def test_an_erased_supporter_loses_their_place_and_their_words_but_not_what_they_wrote_for_the_member() -> None:
    gone = frozenset({GONE})
    invited = SupporterInvited(journal_id=J, owner_id=OWNER, supporter_id=GONE, role="keeper", invited_at=NOW)
    note = NoteAdded(
        note_id=UUID(int=7), entry_id=UUID(int=9), journal_id=J, owner_id=OWNER, author_id=GONE, text="v1.n",
        added_at=NOW, author_sealed=True,
    )  # fmt: skip
    seen = ObservationAdded(
        observation_id=UUID(int=8), journal_id=J, owner_id=OWNER, author_id=GONE, text="v1.o", added_at=NOW
    )
    for event in (invited, note, seen):
        assert GONE in ids_of(event) and not keeps(event, gone)
    for event in (
        EntryRecorded(
            entry_id=UUID(int=9), journal_id=J, owner_id=OWNER, kind="victory", text="v1.x", occurred_on=NOW.date(),
            author_id=GONE, on_behalf=True, visibility="supporters", recorded_at=NOW,
        ),
        HandoverProposed(journal_id=J, owner_id=OWNER, stage="kept_together", proposed_by=GONE, proposed_at=NOW),
        ObservationResolved(
            observation_id=UUID(int=8), resolution="accepted", resolved_at=NOW, journal_id=J, author_id=GONE,
            added_at=NOW, record="v1.r",
        ),
        JournalStarted(journal_id=J, owner_id=None, started_by=GONE, stage="supporter_keeps", started_at=NOW),
    ):  # fmt: skip
        assert keeps(event, gone), event
