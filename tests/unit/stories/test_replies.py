"""Replies that answer another reply: which reply may be answered, and what the events carry for
the people who hear of it. Pure: no I/O, no clock."""

from __future__ import annotations

from uuid import uuid4

import msgspec
import pytest

from services.stories import access, domain, moderation, replies
from services.stories.commands import Moderate, Screened, SubmitReply, Who
from services.stories.events import PostPublished, ReplySubmitted
from shared.errors import Conflict, Invalid, NotFound
from tests.unit.stories.test_domain import ANA, BO, MO, NOW, act, fold, plain, published

pytestmark = pytest.mark.unit
CY = Who(actor_id=uuid4())


def reply(story: domain.Post, who: Who, body: str = "Proud of you", *, to: domain.Post | None = None,
          trusted: bool = False) -> domain.Post:  # fmt: skip
    return fold(replies.submit_reply(story, command(who, body, to, trusted), plain, to))


def command(who: Who, body: str = "Me too", to: domain.Post | None = None, trusted: bool = False) -> SubmitReply:
    return SubmitReply(
        item_id=uuid4(), author=who, pseudonym="Someone", body=body, trusted=trusted, screened=Screened(), now=NOW,
        in_reply_to=to.item_id if to else None,
    )  # fmt: skip


def test_an_answer_names_the_reply_and_its_writer_and_so_does_its_publication() -> None:
    story = published()
    bos = act(reply(story, BO), "approve")
    events = replies.submit_reply(story, command(CY, to=bos), plain, bos)
    submitted = events[0]
    assert isinstance(submitted, ReplySubmitted) and len(events) == 1  # a newcomer's answer waits for review
    assert submitted.in_reply_to == bos.item_id and submitted.parent_author_id == BO.actor_id
    assert submitted.body == "sealed:Me too" and submitted.story_id == story.item_id
    (_, publication) = moderation.moderate(fold(events), Moderate(moderator=MO, action="approve", now=NOW))
    assert isinstance(publication, PostPublished) and publication.in_reply_to == bos.item_id
    assert publication.parent_author_id == BO.actor_id and publication.story_author_id == ANA.actor_id
    direct = replies.submit_reply(story, command(CY, to=bos, trusted=True), plain, bos)
    assert isinstance(direct[-1], PostPublished) and direct[-1].parent_author_id == BO.actor_id


def test_a_plain_reply_answers_nobody() -> None:
    story = published()
    events = replies.submit_reply(story, command(BO, trusted=True), plain)
    assert all(getattr(e, "in_reply_to", None) is None for e in events)
    assert all(getattr(e, "parent_author_id", None) is None for e in events)


def test_ones_own_reply_may_be_answered_before_it_is_published_but_not_once_withdrawn() -> None:
    story = published()
    mine = reply(story, BO)
    assert reply(story, BO, to=mine).in_reply_to == mine.item_id
    gone = fold(domain.withdraw(mine, BO, NOW), mine)
    with pytest.raises(Conflict):
        replies.submit_reply(story, command(BO, to=gone), plain, gone)


@pytest.mark.parametrize(
    "case", ["missing", "someone's pending", "someone's rejected", "hidden by the story's author", "removed"]
)
def test_a_reply_the_replier_cannot_see_is_not_found_and_nothing_is_sealed(case: str) -> None:
    story = published()
    pending = reply(story, BO)
    up = act(pending, "approve")
    parent = {
        "missing": None,
        "someone's pending": pending,
        "someone's rejected": act(pending, "reject"),
        "hidden by the story's author": fold(replies.hide_reply(up, ANA, NOW), up),
        "removed": act(up, "remove"),
    }[case]
    sealed: list[str] = []
    cmd = SubmitReply(
        item_id=uuid4(), author=CY, pseudonym="Cy", body="Hello", trusted=True, screened=Screened(), now=NOW,
        in_reply_to=parent.item_id if parent else uuid4(),
    )  # fmt: skip
    with pytest.raises(NotFound):
        replies.submit_reply(story, cmd, lambda t: sealed.append(t) or t, parent)  # type: ignore[func-returns-value]
    assert sealed == []


def test_only_a_reply_on_the_same_story_can_be_answered() -> None:
    story, other = published(), published()
    elsewhere = act(reply(other, BO), "approve")
    for parent in (elsewhere, story):  # a reply on another story, or the story itself
        with pytest.raises(Invalid) as refused:
            replies.submit_reply(story, command(CY, to=parent), plain, parent)
        assert refused.value.errors[0].field == "in_reply_to"


def test_the_rule_pages_use_to_offer_an_answer() -> None:
    story = published()
    pending = reply(story, BO)
    up = act(pending, "approve")
    assert access.may_answer(up, CY) and access.may_answer(up, MO) and not access.may_answer(up, None)
    assert access.may_answer(pending, BO) and not access.may_answer(pending, CY)
    assert not access.may_answer(story, CY)  # a story is answered by a plain reply


@pytest.mark.parametrize("screened", [Screened(urgent=True), Screened(overruled=True)], ids=["urgent", "overruled"])
def test_a_trusted_members_reply_that_screening_holds_waits_for_a_moderator(screened: Screened) -> None:
    story = published()
    cmd = msgspec.structs.replace(command(CY, trusted=True), screened=screened)
    events = replies.submit_reply(story, cmd, plain)
    assert len(events) == 1 and isinstance(events[0], ReplySubmitted) and not events[0].direct
