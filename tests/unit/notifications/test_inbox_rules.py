"""Who is told what, how items group, and what their words never carry: pure rules."""

from __future__ import annotations

import datetime as dt
from uuid import UUID, uuid4

import msgspec
import pytest

from services.notifications.domain import inbox, mutes, rules
from services.notifications.domain.inbox import Group, Notice, item_for, mute_target
from services.notifications.domain.wording import who
from shared.contracts import journal_events as je
from shared.contracts import story_events as se
from shared.errors import NotFound

pytestmark = pytest.mark.unit
NOW = dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC)
AUTHOR, STORY = UUID(int=1), UUID(int=2)


def cheer(reader: UUID, kind: str = "proud") -> se.EncouragementSeen:
    return se.EncouragementSeen(story_id=STORY, story_author_id=AUTHOR, reader_id=reader, kind=kind)


def named(notice: Notice, name: str) -> Notice:
    """The notice as the inbox words it, with the name it keeps for who acted."""
    return msgspec.structs.replace(notice, actor_name=name)


def grow(names: list[str], kind: str = "proud", at: dt.datetime = NOW) -> list[object]:
    """Items as each encouragement writes them, each growing the one before (same id -> same group)."""
    items: list[object] = []
    groups: dict[UUID, Group] = {}
    for name in names:
        (notice,) = rules.encouraged(cheer(uuid4(), kind))
        notice = named(notice, name)
        item = item_for(notice, uuid4(), at, groups.get(_id(notice, at)))
        assert item is not None
        groups[item.notification_id] = item.group
        items.append(item)
    return items


def _id(notice: Notice, at: dt.datetime) -> UUID:
    from services.notifications.domain.inbox import item_id_for

    return item_id_for(notice, uuid4(), at)


def test_names_up_to_three_and_counts_the_rest() -> None:
    assert who(("Ana",), 1) == "Ana"
    assert who(("Ana", "Bo"), 2) == "Ana and Bo"
    assert who(("Ana", "Bo", "Cy"), 3) == "Ana, Bo and Cy"
    assert who(("Ana", "Bo", "Cy"), 4) == "Ana, Bo, Cy and 1 other"
    assert who(("Ana", "Bo", "Cy"), 5) == "Ana, Bo, Cy and 2 others"


def test_five_encouragements_make_one_item_that_grows() -> None:
    items = grow(["Ana", "Bo", "Cy", "Di", "Ed"])
    ids = {i.notification_id for i in items}  # type: ignore[attr-defined]
    assert len(ids) == 1
    assert items[0].title == "Ana is proud of your story"  # type: ignore[attr-defined]
    assert items[-1].title == "Ana, Bo, Cy and 2 others are proud of your story"  # type: ignore[attr-defined]


def test_a_new_day_or_another_kind_of_encouragement_is_another_item() -> None:
    (today,) = rules.encouraged(cheer(uuid4()))
    (me_too,) = rules.encouraged(cheer(uuid4(), "me-too"))
    tomorrow = NOW + dt.timedelta(days=1)
    assert _id(today, NOW) != _id(today, tomorrow)
    assert _id(today, NOW) != _id(me_too, NOW)


def test_the_same_reader_is_counted_once() -> None:
    reader = uuid4()
    (notice,) = rules.encouraged(cheer(reader))
    first = item_for(notice, uuid4(), NOW, None)
    assert first is not None
    assert item_for(notice, uuid4(), NOW, first.group) is None


def test_nobody_is_told_of_their_own_encouragement_or_reply() -> None:
    assert rules.encouraged(cheer(AUTHOR)) == []
    own = se.PostSeen(item_id=uuid4(), author_id=AUTHOR, kind="reply", story_id=STORY, story_author_id=AUTHOR)
    assert rules.published(own) == []


def test_a_published_reply_tells_the_story_author_and_a_published_story_nobody() -> None:
    reply = se.PostSeen(item_id=uuid4(), author_id=uuid4(), kind="reply", story_id=STORY, story_author_id=AUTHOR)
    (notice,) = rules.published(reply)
    assert (notice.member_id, notice.kind, notice.about_id) == (AUTHOR, "replied", STORY)
    story = se.PostSeen(item_id=STORY, author_id=AUTHOR, kind="story", story_id=STORY, story_author_id=AUTHOR)
    assert rules.published(story) == []


@pytest.mark.parametrize(
    ("event_type", "kind"),
    [(se.POST_APPROVED, "approved"), (se.POST_REMOVED, "removed"), (se.POST_REJECTED, "rejected"),
     (se.CHANGES_REQUESTED, "changes_requested"), (se.APPEAL_DECIDED, "appeal_decided")],
)  # fmt: skip
def test_moderation_tells_the_author_alone_with_the_reason(event_type: str, kind: str) -> None:
    seen = se.PostSeen(item_id=STORY, author_id=AUTHOR, reason="personal-details", guidance="Remove the phone number")
    (notice,) = rules.moderated(event_type, seen, STORY)
    assert (notice.member_id, notice.kind) == (AUTHOR, kind)
    item = item_for(notice, uuid4(), NOW, None)
    assert item is not None
    if kind in ("removed", "rejected", "changes_requested"):
        assert "Shares personal details that could identify someone." in item.body
        assert "Remove the phone number" in item.body


def test_a_reach_out_reaches_the_writer_only_and_says_nothing_of_the_message() -> None:
    seen = se.PostSeen(item_id=STORY, author_id=AUTHOR)
    (notice,) = rules.moderated(se.WRITER_REACHED_OUT, seen, STORY)
    assert notice.member_id == AUTHOR and notice.about == "home"


OWNER, KEEPER, FRIEND, JOURNAL = UUID(int=10), UUID(int=11), UUID(int=12), UUID(int=13)
FACTS = rules.JournalFacts(owner_id=OWNER, supporters={KEEPER: "keeper", FRIEND: "encourager"})


def test_a_note_says_that_something_waits_never_what() -> None:
    wrote = je.WritingSeen(journal_id=JOURNAL, owner_id=OWNER, author_id=FRIEND)
    (notice,) = rules.written(je.NOTE_ADDED, wrote, FACTS)
    item = item_for(named(notice, "Fern"), uuid4(), NOW, None)
    assert item is not None and notice.member_id == OWNER
    assert item.title == "Fern left a note on your journal"
    assert (
        rules.written(je.NOTE_ADDED, je.WritingSeen(journal_id=JOURNAL, owner_id=OWNER, author_id=OWNER), FACTS) == []
    )


def test_an_entry_written_by_a_keeper_is_for_the_member() -> None:
    wrote = je.WritingSeen(journal_id=JOURNAL, owner_id=OWNER, author_id=KEEPER, needs_confirmation=True)
    (notice,) = rules.written(je.ENTRY_RECORDED, wrote, FACTS)
    assert (notice.member_id, notice.kind, notice.variant) == (OWNER, "entry_for_you", "confirm")


def test_the_invited_person_hears_of_an_invitation() -> None:
    seen = je.JournalSeen(journal_id=JOURNAL, owner_id=OWNER, supporter_id=FRIEND, role="encourager")
    (notice,) = rules.invited(seen, OWNER)
    assert (notice.member_id, notice.kind) == (FRIEND, "invited")


def test_a_supporter_who_steps_back_is_told_to_the_member_but_a_revocation_is_not() -> None:
    seen = je.JournalSeen(journal_id=JOURNAL, owner_id=OWNER, supporter_id=FRIEND)
    (left,) = rules.supporter_changed(je.SUPPORTER_REMOVED, seen, FACTS, FRIEND)
    assert (left.member_id, left.kind) == (OWNER, "supporter_left")
    assert rules.supporter_changed(je.SUPPORTER_REMOVED, seen, FACTS, OWNER) == []


def test_handover_goes_to_whoever_must_answer_or_hear_the_answer() -> None:
    proposed = je.JournalSeen(journal_id=JOURNAL, owner_id=OWNER, stage="kept_together", proposed_by=KEEPER)
    (to_owner,) = rules.handover(je.HANDOVER_PROPOSED, proposed, FACTS, KEEPER)
    assert to_owner.member_id == OWNER
    waiting = rules.JournalFacts(owner_id=OWNER, supporters=FACTS.supporters, proposed_by=KEEPER)
    answer = je.JournalSeen(journal_id=JOURNAL, owner_id=OWNER, stage="kept_together")
    (to_keeper,) = rules.handover(je.HANDOVER_DECLINED, answer, waiting, OWNER)
    assert (to_keeper.member_id, to_keeper.kind) == (KEEPER, "handover_declined")
    own = rules.JournalFacts(owner_id=OWNER, supporters={FRIEND: "encourager"}, proposed_by=OWNER)
    moved = rules.handover(je.HANDOVER_ACCEPTED, answer, own, OWNER)
    assert [n.member_id for n in moved] == [FRIEND]  # only supporters the journal has now


def test_mutes_silence_encouragement_and_notes_never_moderation() -> None:
    (cheered,) = rules.encouraged(cheer(uuid4()))
    assert mute_target(cheered) == ("story", STORY)
    (removed,) = rules.moderated(se.POST_REMOVED, se.PostSeen(item_id=STORY, author_id=AUTHOR), STORY)
    assert mute_target(removed) is None
    state = mutes.evolve(None, mutes.mute(None, AUTHOR, "story", STORY, NOW)[0])
    assert mutes.mute(state, AUTHOR, "story", STORY, NOW) == []
    (unmuted,) = mutes.unmute(state, AUTHOR, "story", STORY, NOW)
    assert mutes.evolve(state, unmuted) == frozenset()


def test_an_item_noted_event_records_the_group_and_replays_to_the_same_item() -> None:
    """The event names the item (the group key, hashed) and everything its words need, never text
    nor a name (who acted travels by id); applied to the same group with the name the inbox keeps,
    it gives what the consumer decided, on a replay too."""
    group: Group | None = None
    for name in ("Ana", "Bo", "Cy", "Di"):
        (notice,) = rules.encouraged(cheer(uuid4()))
        cause = uuid4()
        event = inbox.noted(named(notice, name), cause, NOW)
        assert event.actor_name == "" and event.actor_id == notice.actor_id
        assert event.notification_id == inbox.item_id_for(notice, uuid4(), NOW)  # grouped: not per cause
        assert inbox.noted_event_id(event) != inbox.noted_event_id(inbox.noted(notice, uuid4(), NOW))
        item = inbox.applied(event, group, name)
        assert item is not None and item == item_for(named(notice, name), cause, NOW, group)
        assert inbox.applied(event, item.group, name) is None  # the same reader again counts once
        group = item.group
    assert item.title == "Ana, Bo, Cy and 1 other are proud of your story"


def test_read_marks_record_only_a_change_and_only_for_ones_own_items() -> None:
    item = uuid4()
    (read,) = inbox.mark_read(AUTHOR, item, True, NOW)
    assert (read.member_id, read.notification_id, read.read_at) == (AUTHOR, item, NOW)
    assert inbox.mark_read(AUTHOR, item, False, NOW) == []
    with pytest.raises(NotFound):
        inbox.mark_read(AUTHOR, item, None, NOW)
    assert inbox.mark_all_read(AUTHOR, 0, NOW) == []
    assert len(inbox.mark_all_read(AUTHOR, 2, NOW)) == 1
