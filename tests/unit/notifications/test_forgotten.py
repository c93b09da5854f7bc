"""A member who has left is "a former member" in the items that named them: the same words the
inbox writes for a new item about them, capitalised where they open the title. Pure."""

from __future__ import annotations

import datetime as dt
from uuid import UUID, uuid4

import msgspec
import pytest

from services.notifications.domain import inbox
from services.notifications.domain.inbox import Notice, forgotten
from services.notifications.domain.wording import who
from shared.contracts.erasure import PLACEHOLDER_NAME

pytestmark = pytest.mark.unit
NOW = dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC)
ANA, BO, CY, DI, GONE, STORY = (UUID(int=i) for i in range(1, 7))


def _cheers(*people: tuple[UUID, str]) -> inbox.Item:
    """The item a story's author has after these encouragements, in this order."""
    notice = Notice(member_id=ANA, kind="encouraged", about="story", about_id=STORY, variant="helped", grouped=True)
    group, item = None, None
    for member, name in people:
        event = inbox.noted(msgspec.structs.replace(notice, actor_id=member), uuid4(), NOW)
        item = inbox.applied(event, group, name)  # as the projection words it, with the name it keeps
        assert item is not None
        group = item.group
    assert item is not None
    return item


def test_their_name_becomes_a_former_member_where_it_shows_and_they_are_still_counted() -> None:
    item = _cheers((GONE, "Zqx"), (BO, "Bo"), (CY, "Cy"), (DI, "Di"))
    assert item.title == "Zqx, Bo, Cy and 1 other said your story helped them"
    notice = Notice(member_id=ANA, kind="encouraged", about="story", about_id=STORY, variant=item.variant)
    group, title, body = forgotten(notice, item.group, GONE)
    assert group.names == (PLACEHOLDER_NAME, "Bo", "Cy") and group.actor_ids == item.group.actor_ids
    assert title == "A former member, Bo, Cy and 1 other said your story helped them"
    assert body == item.body
    unnamed = forgotten(notice, item.group, UUID(int=99))  # someone it never named: the same words
    assert unnamed[1] == item.title


def test_a_new_item_about_someone_who_left_reads_the_same() -> None:
    item = _cheers((GONE, PLACEHOLDER_NAME), (BO, "Bo"))
    assert item.title == "A former member and Bo said your story helped them"


def test_an_item_naming_one_actor_is_worded_again_with_its_variant() -> None:
    invited = Notice(member_id=BO, kind="invited", about="home", about_id=uuid4(), variant="keeper")
    made = inbox.item_for(msgspec.structs.replace(invited, actor_id=GONE, actor_name="Zqx"), uuid4(), NOW, None)
    assert made is not None and made.title == "Zqx invited you to support their journal"
    _, title, body = forgotten(invited, made.group, GONE)
    assert (title, body) == ("A former member invited you to support their journal", made.body)
    assert "keeper" in body


def test_members_who_left_are_named_once_and_the_others_among_them_counted() -> None:
    assert who((PLACEHOLDER_NAME, PLACEHOLDER_NAME, "Bo"), 3) == f"{PLACEHOLDER_NAME}, Bo and 1 other"
    assert who(("Ana", PLACEHOLDER_NAME), 2) == f"Ana and {PLACEHOLDER_NAME}"  # not opening: lower case
