"""Journal domain: every command, and each of its refusals. Pure: no I/O, no clock."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

import pytest

from services.journal.access import Access
from services.journal.commands import EditEntry, EntryInput, RecordEntry
from services.journal.domain import entry as entries
from services.journal.domain import journal as journals
from services.journal.domain import observation as observations
from services.journal.events import (
    EntryConfirmed,
    EntryRecorded,
    EntryRetracted,
    HandoverAccepted,
    HandoverDeclined,
    HandoverProposed,
    InvitationDeclined,
    JournalClaimed,
    ObservationResolved,
    SupporterJoined,
    SupporterRemoved,
    SupporterRoleChanged,
)
from shared.contracts.vocabulary import RECOVERY_THEMES
from shared.errors import Conflict, Forbidden, Invalid, NotFound

pytestmark = pytest.mark.unit

NOW = dt.datetime(2026, 5, 4, 10, tzinfo=dt.UTC)


def _seal(text: str) -> str:
    return f"sealed:{text}"


TODAY = NOW.date()
J, OWNER, ENC, KEEP, STRANGER, NEWBIE = (UUID(int=i) for i in range(1, 7))


def fold(events: list[Any], state: Any = None, evolve: Any = journals.evolve_journal) -> Any:
    for event in events:
        state = evolve(state, event)
    return state


def journal(stage: str = "member_keeps") -> journals.Journal:
    """Robin's journal with Enzo encouraging and Kai keeping, at the given stage."""
    j = fold(journals.start_own(J, OWNER, NOW))
    j = fold(journals.invite(j, OWNER, ENC, "Enzo", "encourager", NOW), j)
    j = fold(journals.invite(j, OWNER, KEEP, "Kai", "keeper", NOW), j)
    j = fold(journals.respond(j, ENC, True, NOW), j)
    j = fold(journals.respond(j, KEEP, True, NOW), j)
    if stage != "member_keeps":
        j = fold(journals.propose_stage(j, OWNER, stage, NOW), j)
    return j


def rec(j: journals.Journal, actor: UUID, **entry: Any) -> list[Any]:
    fields = {"kind": "victory", "text": "a win", **entry}
    cmd = RecordEntry(entry_id=UUID(int=99), actor_id=actor, entry=EntryInput(**fields), today=TODAY, now=NOW)
    return entries.record(j, cmd, _seal)


def entry_of(events: list[Any]) -> entries.Entry:
    return fold(events, None, entries.evolve_entry)  # type: ignore[no-any-return]


# --- the journal -------------------------------------------------------------------------


def test_started_own_journal_is_kept_by_the_member() -> None:
    j = fold(journals.start_own(J, OWNER, NOW))
    assert (j.owner_id, j.stage, journals.access(j, OWNER)) == (OWNER, "member_keeps", Access.OWNER)


def test_start_for_someone_makes_the_starter_keeper_until_claimed() -> None:
    events = journals.start_for(J, " Alex ", KEEP, "hash", NOW, _seal)
    j = fold(events)
    assert j.owner_id is None and j.owner_name == "" and j.stage == "supporter_keeps"
    assert events[0].for_name == "sealed:Alex"  # the name given is sealed before it is an event
    assert "Alex" not in repr(events).replace("sealed:Alex", "")
    assert journals.access(j, KEEP) is Access.KEEPER and j.claim_code_hash == "hash"
    claimed = journals.claim(j, NEWBIE, NOW)
    assert claimed == [JournalClaimed(journal_id=J, owner_id=NEWBIE, claimed_at=NOW)]  # no name (ADR 35)
    after = fold(claimed, j)
    assert journals.access(after, NEWBIE) is Access.OWNER and journals.access(after, KEEP) is Access.KEEPER
    with pytest.raises(NotFound):
        journals.claim(after, STRANGER, NOW)  # claimed once
    with pytest.raises(Conflict):
        journals.claim(j, KEEP, NOW)  # the keeper can't claim it for themselves
    with pytest.raises(Invalid):
        journals.start_for(J, "   ", KEEP, "hash", NOW, _seal)
    with pytest.raises(Invalid):
        journals.start_for(J, "x" * 41, KEEP, "hash", NOW, _seal)


def test_invitations() -> None:
    j = fold(journals.start_own(J, OWNER, NOW))
    invited = fold(journals.invite(j, OWNER, ENC, "Enzo", "encourager", NOW), j)
    assert journals.access(invited, ENC) is Access.NONE  # not before accepting
    with pytest.raises(Forbidden):
        journals.invite(journal(), ENC, STRANGER, "Stan", "keeper", NOW)  # only the member invites
    with pytest.raises(NotFound):
        journals.invite(j, STRANGER, KEEP, "Kai", "keeper", NOW)
    with pytest.raises(Invalid):
        journals.invite(j, OWNER, ENC, "Enzo", "boss", NOW)
    with pytest.raises(Invalid):
        journals.invite(j, OWNER, OWNER, "Robin", "keeper", NOW)
    with pytest.raises(Conflict):
        journals.invite(invited, OWNER, ENC, "Enzo", "keeper", NOW)
    assert journals.respond(invited, ENC, True, NOW) == [
        SupporterJoined(journal_id=J, owner_id=OWNER, supporter_id=ENC, role="encourager", joined_at=NOW)
    ]
    assert journals.respond(invited, ENC, False, NOW) == [
        InvitationDeclined(journal_id=J, supporter_id=ENC, declined_at=NOW)
    ]
    with pytest.raises(NotFound):
        journals.respond(invited, STRANGER, True, NOW)
    with pytest.raises(NotFound):
        journals.respond(journal(), ENC, True, NOW)  # already joined


def test_roles_and_removal() -> None:
    j = journal()
    assert journals.change_role(j, OWNER, ENC, "keeper", NOW) == [
        SupporterRoleChanged(journal_id=J, supporter_id=ENC, role="keeper", changed_at=NOW)
    ]
    assert journals.change_role(j, OWNER, ENC, "encourager", NOW) == []
    with pytest.raises(Forbidden):
        journals.change_role(j, KEEP, ENC, "keeper", NOW)
    with pytest.raises(NotFound):
        journals.change_role(j, OWNER, STRANGER, "keeper", NOW)
    with pytest.raises(Invalid):
        journals.change_role(j, OWNER, ENC, "boss", NOW)
    removed = journals.remove(j, OWNER, ENC, NOW)
    assert removed == [SupporterRemoved(journal_id=J, owner_id=OWNER, supporter_id=ENC, removed_at=NOW)]
    assert journals.access(fold(removed, j), ENC) is Access.NONE
    assert journals.remove(j, KEEP, KEEP, NOW)[0].supporter_id == KEEP  # a supporter may step back
    with pytest.raises(Forbidden):
        journals.remove(j, KEEP, ENC, NOW)
    with pytest.raises(NotFound):
        journals.remove(j, OWNER, STRANGER, NOW)
    unclaimed = fold(journals.start_for(J, "Alex", KEEP, "h", NOW, _seal))
    with pytest.raises(Conflict):
        journals.remove(unclaimed, KEEP, KEEP, NOW)


def test_handover_stages() -> None:
    j = journal()
    own = journals.propose_stage(j, OWNER, "kept_together", NOW)
    assert [type(e) for e in own] == [HandoverProposed, HandoverAccepted]
    proposed = journals.propose_stage(j, KEEP, "supporter_keeps", NOW)
    assert [type(e) for e in proposed] == [HandoverProposed]
    pending = fold(proposed, j)
    assert pending.pending_stage == "supporter_keeps" and pending.stage == "member_keeps"
    accepted = fold(journals.accept_stage(pending, OWNER, NOW), pending)
    assert accepted.stage == "supporter_keeps" and accepted.pending_stage is None
    with pytest.raises(Forbidden):
        journals.propose_stage(j, ENC, "kept_together", NOW)
    with pytest.raises(Conflict):
        journals.propose_stage(j, OWNER, "member_keeps", NOW)
    with pytest.raises(Invalid):
        journals.propose_stage(j, OWNER, "someday", NOW)
    with pytest.raises(Conflict):
        journals.accept_stage(j, OWNER, NOW)
    with pytest.raises(Forbidden):
        journals.accept_stage(pending, KEEP, NOW)


def test_a_handover_step_can_be_declined_and_a_second_proposal_waits_for_the_answer() -> None:
    j = journal()
    pending = fold(journals.propose_stage(j, KEEP, "kept_together", NOW), j)
    with pytest.raises(Conflict, match="already waiting"):
        journals.propose_stage(pending, KEEP, "supporter_keeps", NOW)
    declined = journals.decline_stage(pending, OWNER, NOW)
    assert declined == [HandoverDeclined(journal_id=J, owner_id=OWNER, stage="kept_together", declined_at=NOW)]
    after = fold(declined, pending)
    assert after.stage == "member_keeps" and after.pending_stage is None
    assert [type(e) for e in journals.propose_stage(after, KEEP, "supporter_keeps", NOW)] == [HandoverProposed]
    with pytest.raises(Conflict, match="no handover proposal"):
        journals.decline_stage(after, OWNER, NOW)
    with pytest.raises(Forbidden):
        journals.decline_stage(pending, KEEP, NOW)
    # the member's own change is never stuck behind a waiting proposal: it answers it
    changed = fold(journals.propose_stage(pending, OWNER, "supporter_keeps", NOW), pending)
    assert changed.stage == "supporter_keeps" and changed.pending_stage is None


# --- entries -------------------------------------------------------------------------------


def test_member_records_and_keeper_writes_on_behalf() -> None:
    (own,) = rec(journal(), OWNER)
    assert isinstance(own, EntryRecorded) and not own.on_behalf and not own.needs_confirmation
    # while the supporter keeps the journal, what they write needs no confirmation; kept together, it does
    (kept,) = rec(journal("supporter_keeps"), KEEP)
    assert kept.on_behalf and not kept.needs_confirmation and kept.author_id == KEEP
    (together,) = rec(journal("kept_together"), KEEP)
    assert together.on_behalf and together.needs_confirmation
    with pytest.raises(Forbidden, match="member keeps"):
        rec(journal(), KEEP)
    with pytest.raises(Forbidden, match="Encouragers"):
        rec(journal("supporter_keeps"), ENC)
    with pytest.raises(NotFound):
        rec(journal(), STRANGER)


@pytest.mark.parametrize(
    ("entry", "field"),
    [
        ({"text": ""}, "text"),
        ({"text": "x" * 2001}, "text"),
        ({"kind": "mood", "mood": 0, "text": ""}, "mood"),
        ({"kind": "mood", "mood": 6, "text": ""}, "mood"),
        ({"kind": "mood", "mood": None, "text": ""}, "mood"),
        ({"kind": "victory", "mood": 3}, "mood"),
        ({"occurred_on": TODAY + dt.timedelta(days=1)}, "occurred_on"),
        ({"occurred_on": TODAY - dt.timedelta(days=366 * 6)}, "occurred_on"),
        ({"themes": ("astrology",)}, "themes"),
        ({"themes": tuple(list(RECOVERY_THEMES)[:6])}, "themes"),
        ({"kind": "poem"}, "kind"),
        ({"visibility": "everyone"}, "visibility"),
        ({"helped": "x"}, "helped"),
        ({"kind": "setback", "helped": "x" * 1001}, "helped"),
    ],
)
def test_entry_input_refusals(entry: dict[str, Any], field: str) -> None:
    with pytest.raises(Invalid) as refused:
        rec(journal(), OWNER, **entry)
    assert field in {e.field for e in refused.value.errors}


def test_mood_and_setback_and_defaults() -> None:
    (mood,) = rec(journal(), OWNER, kind="mood", mood=4, text="")
    assert mood.mood == 4 and mood.occurred_on == TODAY
    (setback,) = rec(
        journal(), OWNER, kind="setback", text="rough day", helped="a walk", themes=("setbacks", "setbacks")
    )
    assert setback.themes == ("setbacks",)


def _edit(j: journals.Journal, e: entries.Entry, actor: UUID, **entry: Any) -> list[Any]:
    cmd = EditEntry(
        actor_id=actor, entry=EntryInput(**{"kind": "victory", "text": "better", **entry}), today=TODAY, now=NOW
    )
    return entries.edit(j, e, cmd, _seal)


def test_edit_retract_confirm() -> None:
    j = journal("kept_together")
    written = entry_of(rec(j, KEEP, visibility="supporters"))
    assert _edit(j, written, KEEP)[0].edited_by == KEEP
    assert _edit(j, written, OWNER)[0].edited_by == OWNER
    with pytest.raises(Forbidden):
        _edit(j, written, ENC)
    with pytest.raises(Invalid):
        _edit(j, written, OWNER, kind="mood", mood=3, text="")
    private = entry_of(rec(j, OWNER))
    with pytest.raises(NotFound):
        _edit(j, private, KEEP)  # keepers don't see private entries
    assert entries.confirm(j, written, OWNER, NOW) == [
        EntryConfirmed(entry_id=written.entry_id, confirmed_by=OWNER, confirmed_at=NOW)
    ]
    with pytest.raises(Forbidden):
        entries.confirm(j, written, KEEP, NOW)
    with pytest.raises(Conflict):
        entries.confirm(j, private, OWNER, NOW)
    retracted = entries.retract(j, written, OWNER, NOW)
    assert retracted == [EntryRetracted(entry_id=written.entry_id, retracted_by=OWNER, retracted_at=NOW)]
    gone = fold(retracted, written, entries.evolve_entry)
    assert entries.retract(j, gone, OWNER, NOW) == []
    with pytest.raises(Conflict):
        _edit(j, gone, OWNER)
    with pytest.raises(Forbidden):
        entries.retract(j, written, ENC, NOW)


def test_notes_and_observations() -> None:
    j = journal()
    shared = entry_of(rec(j, OWNER, visibility="supporters"))
    private = entry_of(rec(j, OWNER))
    assert entries.add_note(j, shared, ENC, UUID(int=50), "proud of you", _seal, NOW)[0].author_id == ENC
    with pytest.raises(NotFound):
        entries.add_note(j, private, ENC, UUID(int=50), "peek", _seal, NOW)
    with pytest.raises(Invalid):
        entries.add_note(j, shared, ENC, UUID(int=50), "  ", _seal, NOW)
    seen = fold(
        observations.observe(j, ENC, UUID(int=60), "you went out twice", _seal, NOW),
        None,
        observations.evolve_observation,
    )
    with pytest.raises(Forbidden):
        observations.observe(j, OWNER, UUID(int=60), "me", _seal, NOW)
    with pytest.raises(NotFound):
        observations.observe(j, STRANGER, UUID(int=60), "hi", _seal, NOW)
    assert seen.text == "sealed:you went out twice" and seen.author_sealed and seen.author_id == ENC
    # accepted, it becomes the member's record: whole in the event, with the member's own copy
    assert observations.resolve(j, seen, OWNER, "accepted", NOW, _keep) == [
        ObservationResolved(
            observation_id=UUID(int=60), resolution="accepted", resolved_at=NOW, journal_id=J, author_id=ENC,
            added_at=NOW, record="kept:sealed:you went out twice",
        )
    ]  # fmt: skip
    assert observations.resolve(j, seen, OWNER, "kept_private", NOW, _keep) == [
        ObservationResolved(observation_id=UUID(int=60), resolution="kept_private", resolved_at=NOW)
    ]
    with pytest.raises(Forbidden):
        observations.resolve(j, seen, ENC, "accepted", NOW, _keep)
    with pytest.raises(Invalid):
        observations.resolve(j, seen, OWNER, "shred", NOW, _keep)
    done = fold(observations.resolve(j, seen, OWNER, "dismissed", NOW, _keep), seen, observations.evolve_observation)
    with pytest.raises(Conflict):
        observations.resolve(j, done, OWNER, "accepted", NOW, _keep)


def _keep(o: Any) -> str:
    return f"kept:{o.text}"


def test_erased_supporters_leave_the_journal_and_an_erased_journal_is_gone() -> None:
    j = journal()
    assert journals.without(j, set()) is j
    left = journals.without(j, {ENC})
    assert left is not None and ENC not in left.supporters and KEEP in left.supporters
    with pytest.raises(NotFound):  # their place ended: they can neither write nor answer
        entries.add_note(left, entry_of(rec(left, OWNER, visibility="supporters")), ENC, UUID(int=50), "hi", _seal, NOW)
    assert journals.without(j, {J}) is None and journals.without(j, {OWNER}) is None
    assert journals.without(None, {ENC}) is None
