"""A reply that answers another reply: its writer hears "replied to your reply", the story's author
"replied", nobody twice and nobody of their own words. Pure rules."""

from __future__ import annotations

import datetime as dt
from uuid import UUID, uuid4

import msgspec
import pytest

from services.notifications.domain import rules
from services.notifications.domain.inbox import Group, Notice, item_for, item_id_for, mute_target
from services.notifications.domain.preferences import DEFAULTS, KIND_OF, channel_for
from services.stories.events import PostPublished
from shared.contracts import story_events as se

pytestmark = pytest.mark.unit
NOW = dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC)
ANA, BO, CY, DI, STORY = UUID(int=1), UUID(int=2), UUID(int=3), UUID(int=4), UUID(int=5)


def answer(author: UUID, parent_author: UUID | None, story_author: UUID = ANA) -> se.PostSeen:
    return se.PostSeen(
        item_id=uuid4(), author_id=author, kind="reply", story_id=STORY, story_author_id=story_author,
        parent_author_id=parent_author,
    )  # fmt: skip


def told(seen: se.PostSeen) -> set[tuple[UUID, str]]:
    return {(n.member_id, n.kind) for n in rules.published(seen)}


def test_the_answered_writer_and_the_story_author_each_hear_once() -> None:
    assert told(answer(CY, BO)) == {(BO, "reply_to_reply"), (ANA, "replied")}
    assert told(answer(ANA, BO)) == {(BO, "reply_to_reply")}  # the story's author answers: only Bo hears
    assert told(answer(BO, BO)) == {(ANA, "replied")}  # answering one's own reply
    assert told(answer(CY, ANA)) == {(ANA, "reply_to_reply")}  # Ana wrote the story and the reply: told once
    assert told(answer(ANA, ANA)) == set()
    assert told(answer(CY, None)) == {(ANA, "replied")}


def test_an_answer_groups_like_replies_and_reads_plainly() -> None:
    items: dict[UUID, Group] = {}
    titles = []
    for name, who in (("Cy", CY), ("Di", DI), ("Cy", CY)):
        (notice,) = (n for n in rules.published(answer(who, BO)) if n.member_id == BO)
        notice = msgspec.structs.replace(notice, actor_name=name)
        key = item_id_for(notice, uuid4(), NOW)
        item = item_for(notice, uuid4(), NOW, items.get(key))
        if item is not None:
            items[key] = item.group
            titles.append((item.title, item.body))
    assert titles == [
        ("Cy replied to your reply", "Open the story to read the conversation."),
        ("Cy and Di replied to your reply", "Open the story to read the conversation."),
    ]
    assert len(items) == 1  # one item for the day, as for replies to one's story


def test_an_answer_is_muted_with_its_story_and_chosen_as_a_kind_of_its_own() -> None:
    notice = Notice(member_id=BO, kind="reply_to_reply", about="story", about_id=STORY, grouped=True)
    assert mute_target(notice) == ("story", STORY)
    assert KIND_OF["reply_to_reply"] == "reply_to_reply"
    chosen = msgspec.structs.replace(DEFAULTS, channels={**DEFAULTS.channels, "reply_to_reply": "off"})
    assert channel_for(chosen, "reply_to_reply") == "off"
    assert channel_for(chosen, "replied") == "in_app"


def test_the_view_reads_the_parent_author_from_a_publication_and_old_events_still_decode() -> None:
    new = PostPublished(
        item_id=uuid4(), kind="reply", story_id=STORY, story_author_id=ANA, author_id=CY, published_at=NOW,
        in_reply_to=uuid4(), parent_author_id=BO,
    )  # fmt: skip
    assert msgspec.json.decode(msgspec.json.encode(new), type=se.PostSeen).parent_author_id == BO
    old = {"type": se.POST_PUBLISHED, "item_id": str(uuid4()), "kind": "reply", "story_id": str(STORY),
           "story_author_id": str(ANA), "author_id": str(CY), "published_at": NOW.isoformat()}  # fmt: skip
    assert msgspec.json.decode(msgspec.json.encode(old), type=se.PostSeen).parent_author_id is None
    assert msgspec.json.decode(msgspec.json.encode(old), type=PostPublished).in_reply_to is None
