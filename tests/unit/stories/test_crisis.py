"""Crisis items: reaching out to a writer at risk, holding an item back, the message templates,
releasing a claim, and appeals when the deciding moderator is the only one. Pure: no I/O, no clock."""

from __future__ import annotations

import datetime as dt
from uuid import uuid4

import pytest

from services.stories import crisis, domain, moderation
from services.stories.commands import Moderate, Who
from services.stories.events import ClaimReleased, PostHeld, PostPublished, WriterReachedOut
from shared.errors import Conflict, Forbidden, Invalid, NotFound
from tests.unit.stories.test_domain import AL, ANA, BO, MO, NOW, TTL, act, fold, plain, published, submitted

pytestmark = pytest.mark.unit
CHECKING_IN = crisis.DEFAULT_TEMPLATES[0]


def reach(post: domain.Post, who: Who = MO, personal: str = "", template: crisis.Template | None = CHECKING_IN) -> list:  # type: ignore[type-arg]
    cmd = crisis.ReachOut(moderator=who, message_id=uuid4(), template=template, personal=personal, now=NOW)
    return crisis.reach_out(post, cmd, plain)


def test_a_moderator_reaches_out_to_the_writer_of_an_urgent_post_privately() -> None:
    post, _ = submitted(urgent=True)
    [sent] = reach(post, personal="We're here.")
    assert isinstance(sent, WriterReachedOut) and sent.author_id == ANA.actor_id
    assert sent.message == f"sealed:{CHECKING_IN.body}\n\nWe're here." and sent.template_name == "Checking in"
    after = fold([sent], post)
    assert after.reached_out == 1 and after.status == "pending" and after.review == "new"


def test_reaching_out_is_refused_on_a_calm_post_to_a_non_moderator_and_with_markup() -> None:
    calm, _ = submitted()
    urgent, _ = submitted(urgent=True)
    with pytest.raises(Conflict):
        reach(calm)
    with pytest.raises(NotFound):
        reach(urgent, BO)  # a reader who cannot see it: not found, never forbidden
    with pytest.raises(Forbidden):
        reach(urgent, ANA)  # the writer's own post
    with pytest.raises(Invalid):
        reach(urgent, personal="<b>call me</b>")
    with pytest.raises(NotFound):
        reach(urgent, template=None)
    claimed = fold(moderation.claim(urgent, AL, NOW, TTL), urgent)
    with pytest.raises(Conflict):
        reach(claimed)  # someone else is working on it


def test_holding_keeps_an_urgent_post_out_of_the_feed_without_rejecting_it() -> None:
    reported = fold(moderation.report(published(), moderation.Report(
        reporter=BO, reason="at-risk", weight=0.25, threshold=3.0, now=NOW), plain), published())  # fmt: skip
    assert reported.visible and reported.urgent
    [held] = crisis.hold(reported, MO, NOW)
    after = fold([held], reported)
    assert isinstance(held, PostHeld) and after.status == "held" and not after.visible and after.review is None
    assert after.decided_by is None and not after.appealed  # nothing to appeal: it was not a rejection
    with pytest.raises(Conflict):
        domain.appeal(after, ANA, "Why?", NOW, plain)
    with pytest.raises(Conflict):
        crisis.hold(after, MO, NOW)  # already held
    with pytest.raises(Conflict):
        crisis.hold(published(), MO, NOW)  # not urgent
    published_again = moderation.moderate(after, Moderate(moderator=MO, action="approve", now=NOW))
    assert isinstance(published_again[-1], PostPublished)
    revised = domain.revise_story(after, domain.ReviseStory(
        author=ANA, text=domain.StoryText(title="t", body="b"), screened=domain.Screened(), now=NOW), plain)  # fmt: skip
    assert fold(revised, after).status == "pending"


@pytest.mark.parametrize(
    "body",
    ["<b>Hi</b>", "Hi </p>", "Hi &amp; bye", "See [the helplines](https://example.org)", "<!-- note -->"],
)
def test_templates_are_plain_text_and_markup_is_refused(body: str) -> None:
    with pytest.raises(Invalid) as refused:
        crisis.save_template(MO, uuid4(), "Name", body, NOW)
    assert refused.value.errors[0].field == "body"


def test_templates_need_a_moderator_a_name_and_a_message_and_keep_what_was_written() -> None:
    with pytest.raises(Forbidden):
        crisis.save_template(BO, uuid4(), "Name", "Hello", NOW)
    with pytest.raises(Invalid):
        crisis.save_template(MO, uuid4(), " ", "Hello", NOW)
    [saved] = crisis.save_template(MO, CHECKING_IN.template_id, " Kind words ", "You matter to us. <3 is fine", NOW)
    state = crisis.evolve_template(None, saved)
    assert (state.name, state.body) == ("Kind words", "You matter to us. <3 is fine")
    assert crisis.template_or_default(None, CHECKING_IN.template_id) == CHECKING_IN
    assert crisis.template_or_default(state, CHECKING_IN.template_id) == state
    assert crisis.template_or_default(None, uuid4()) is None


def test_a_claim_is_released_only_by_who_holds_it() -> None:
    post, _ = submitted()
    claimed = fold(moderation.claim(post, MO, NOW, TTL), post)
    with pytest.raises(Conflict):
        moderation.release(claimed, AL, NOW)  # someone else's claim
    with pytest.raises(Conflict):
        moderation.release(post, MO, NOW)  # nothing to release
    [released] = moderation.release(claimed, MO, NOW)
    assert isinstance(released, ClaimReleased) and fold([released], claimed).claimed_by is None
    expired = NOW + TTL + dt.timedelta(seconds=1)
    with pytest.raises(Conflict):
        moderation.release(claimed, MO, expired)


def test_the_deciding_moderator_cannot_claim_or_decide_the_appeal_and_an_admin_can() -> None:
    rejected = act(submitted()[0], "reject")
    appealed = fold(domain.appeal(rejected, ANA, "It's about my recovery.", NOW, plain), rejected)
    with pytest.raises(Forbidden):
        moderation.claim(appealed, MO, NOW, TTL)
    with pytest.raises(Forbidden):
        moderation.decide_appeal(appealed, MO, False, "", NOW)
    assert moderation.claim(appealed, AL, NOW, TTL)
    assert isinstance(moderation.decide_appeal(appealed, AL, False, "Fine.", NOW)[-1], PostPublished)
