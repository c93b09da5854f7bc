"""Stories domain: every transition of a story or reply, and each refusal. Pure: no I/O, no clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from uuid import UUID, uuid4

import pytest

from services.stories import cheers, domain, moderation, replies
from services.stories.commands import Moderate, ReviseStory, Screened, StoryText, SubmitReply, SubmitStory, Who
from services.stories.events import (
    REGISTRY,
    AppealDecided,
    AppealFiled,
    ChangesRequested,
    PostApproved,
    PostClaimed,
    PostEvent,
    PostHidden,
    PostPublished,
    PostRejected,
    PostRemoved,
    PostReported,
    PostWithdrawn,
    ReplyHiddenByAuthor,
    StoryRevised,
)
from shared.errors import Conflict, Forbidden, Invalid, NotFound
from shared.messages import Event, tag_of

pytestmark = pytest.mark.unit
NOW = dt.datetime(2026, 3, 3, 12, 0, tzinfo=dt.UTC)
TTL = dt.timedelta(minutes=15)
ANA, BO = Who(actor_id=uuid4()), Who(actor_id=uuid4())
MO, AL = Who(actor_id=uuid4(), roles=frozenset({"moderator"})), Who(actor_id=uuid4(), roles=frozenset({"admin"}))


def plain(text: str) -> str:
    return f"sealed:{text}"


def fold(events: Sequence[Event], state: domain.Post | None = None) -> domain.Post:
    for e in events:
        state = domain.evolve(state, e)  # type: ignore[arg-type]
    assert state is not None
    return state


def submitted(
    *, trusted: bool = False, urgent: bool = False, overruled: bool = False, author: Who = ANA
) -> tuple[domain.Post, list[PostEvent]]:
    cmd = SubmitStory(
        item_id=uuid4(), author=author, pseudonym="Ana", text=StoryText(title="Walk", body="I walked."),
        trusted=trusted, screened=Screened(urgent=urgent, overruled=overruled), now=NOW,
    )  # fmt: skip
    events = domain.submit_story(cmd, plain)
    return fold(events), events


def act(post: domain.Post, action: str, who: Who = MO, reason: str = "spam") -> domain.Post:
    return fold(moderation.moderate(post, Moderate(moderator=who, action=action, reason=reason, now=NOW)), post)


def published() -> domain.Post:
    return act(submitted()[0], "approve")


def test_every_event_has_a_unique_versioned_tag() -> None:
    tags = [tag_of(t) for t in REGISTRY._types.values()]
    assert len(tags) == len(set(tags)) and all(t.startswith("stories.") and ".v" in t for t in tags)


def test_a_newcomers_story_waits_for_review_and_its_text_is_sealed() -> None:
    post, events = submitted()
    assert post.status == "pending" and post.review == "new" and len(events) == 1
    assert events[0].title == "sealed:Walk" and events[0].body == "sealed:I walked."  # type: ignore[union-attr]


def test_a_trusted_members_story_is_published_and_still_queued() -> None:
    post, events = submitted(trusted=True)
    assert isinstance(events[-1], PostPublished) and post.status == "published" and post.review == "post"
    assert act(post, "approve").review is None and act(post, "approve").status == "published"


def test_an_urgent_story_is_never_published_directly_whatever_the_trust() -> None:
    post, events = submitted(trusted=True, urgent=True)
    assert post.status == "pending" and post.urgent and not any(isinstance(e, PostPublished) for e in events)


def test_a_story_whose_urgent_the_model_overruled_waits_for_a_moderator_whatever_the_trust() -> None:
    post, events = submitted(trusted=True, overruled=True)
    assert post.status == "pending" and not post.urgent and not any(isinstance(e, PostPublished) for e in events)


@pytest.mark.parametrize(
    ("text", "screened", "field"),
    [
        (StoryText(title="", body="b"), Screened(), "title"),
        (StoryText(title="t", body=" \n "), Screened(), "body"),
        (StoryText(title="t" * 121, body="b"), Screened(), "title"),
        (StoryText(title="t", body="b" * 10_001), Screened(), "body"),
        (StoryText(title="t", body="b", themes=("nope",)), Screened(), "themes"),
        (StoryText(title="t", body="b", warnings=("gore",)), Screened(), "warnings"),
        (StoryText(title="t", body="b"), Screened(personal={"body": "an e-mail address"}), "body"),
    ],
)
def test_bad_story_text_is_refused_and_nothing_is_sealed(text: StoryText, screened: Screened, field: str) -> None:
    sealed: list[str] = []
    cmd = SubmitStory(
        item_id=uuid4(), author=ANA, pseudonym="Ana", text=text, trusted=False, screened=screened, now=NOW
    )
    with pytest.raises(Invalid) as refused:
        domain.submit_story(cmd, lambda t: sealed.append(t) or t)  # type: ignore[func-returns-value]
    assert refused.value.errors[0].field == field and sealed == []


def test_revise_while_pending_or_when_changes_were_requested_only_by_the_author() -> None:
    post = submitted()[0]
    cmd = ReviseStory(author=ANA, text=StoryText(title="New", body="New body"), screened=Screened(), now=NOW)
    assert isinstance(domain.revise_story(post, cmd, plain)[0], StoryRevised)
    asked = act(post, "request_changes", reason="missing-warning")
    assert asked.status == "changes_requested"
    assert fold(domain.revise_story(asked, cmd, plain), asked).status == "pending"
    with pytest.raises(NotFound):
        domain.revise_story(post, ReviseStory(author=BO, text=cmd.text, screened=Screened(), now=NOW), plain)
    with pytest.raises(Conflict):
        domain.revise_story(published(), cmd, plain)


def test_moderation_transitions() -> None:
    assert act(submitted()[0], "reject").status == "rejected"
    removed = act(published(), "remove", reason="harmful-detail")
    assert removed.status == "removed" and removed.decided_by == MO.actor_id


@pytest.mark.parametrize(
    ("setup", "action", "who", "error"),
    [
        (lambda: published(), "approve", MO, Conflict),  # approve twice
        (lambda: submitted(author=MO)[0], "approve", MO, Forbidden),  # moderate your own story
        (lambda: submitted()[0], "approve", BO, NotFound),  # not a moderator, and not visible
        (lambda: published(), "approve", BO, Forbidden),  # not a moderator, but visible
        (lambda: published(), "reject", MO, Conflict),  # reject what is already published
        (lambda: submitted()[0], "remove", MO, Conflict),  # remove what is not published
        (lambda: act(published(), "remove"), "remove", MO, Conflict),  # remove twice
        (lambda: submitted()[0], "shout", MO, Invalid),
    ],
)
def test_moderation_refusals(setup, action: str, who: Who, error: type[Exception]) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(error):
        act(setup(), action, who)


def test_a_reason_from_the_list_is_needed_to_send_something_back() -> None:
    with pytest.raises(Invalid):
        act(submitted()[0], "reject", reason="because")


def test_a_claim_keeps_others_away_until_it_expires() -> None:
    first = submitted()[0]
    claimed = fold(moderation.claim(first, MO, NOW, TTL), first)
    assert isinstance(moderation.claim(first, MO, NOW, TTL)[0], PostClaimed) and claimed.claimed_by == MO.actor_id
    with pytest.raises(Conflict):
        moderation.claim(claimed, AL, NOW, TTL)
    with pytest.raises(Conflict):
        moderation.moderate(claimed, Moderate(moderator=AL, action="approve", now=NOW + TTL / 2))
    later = NOW + TTL + dt.timedelta(seconds=1)
    assert moderation.moderate(claimed, Moderate(moderator=AL, action="approve", now=later))
    with pytest.raises(Conflict):
        moderation.claim(published(), MO, NOW, TTL)  # nothing to review


def test_withdraw_at_any_time_but_not_twice_and_not_once_removed() -> None:
    for post in (submitted()[0], published(), act(submitted()[0], "reject")):
        assert fold(domain.withdraw(post, ANA, NOW), post).status == "withdrawn"
    withdrawn = fold(domain.withdraw(published(), ANA, NOW), published())
    with pytest.raises(Conflict):
        domain.withdraw(withdrawn, ANA, NOW)
    with pytest.raises(Conflict):
        domain.withdraw(act(published(), "remove"), ANA, NOW)
    with pytest.raises(NotFound):
        domain.withdraw(published(), BO, NOW)


def test_appeal_once_decided_by_a_different_moderator() -> None:
    removed = act(published(), "remove")
    appealed = fold(domain.appeal(removed, ANA, "It helps people", NOW, plain), removed)
    assert appealed.review == "appeal"
    with pytest.raises(Conflict):
        domain.appeal(appealed, ANA, "Again", NOW, plain)  # appeal twice
    with pytest.raises(Forbidden):
        moderation.decide_appeal(appealed, MO, False, "", NOW)  # the moderator who removed it
    with pytest.raises(Conflict):
        act(appealed, "approve", AL)  # an appeal is decided as an appeal
    reversed_ = fold(moderation.decide_appeal(appealed, AL, False, "Fair", NOW), appealed)
    assert reversed_.status == "published" and reversed_.review is None
    upheld = fold(moderation.decide_appeal(appealed, AL, True, "", NOW), appealed)
    assert upheld.status == "removed"
    with pytest.raises(Conflict):
        domain.appeal(published(), ANA, "Why", NOW, plain)  # nothing to appeal
    with pytest.raises(Conflict):
        moderation.decide_appeal(removed, AL, True, "", NOW)  # no appeal waiting


def rep(post: domain.Post, who: Who, reason: str = "unkind", weight: float = 1.0, **fields: str) -> list[PostEvent]:
    cmd = moderation.Report(reporter=who, reason=reason, weight=weight, threshold=3.0, now=NOW, **fields)
    return moderation.report(post, cmd, plain)


def test_reports_once_per_reader_reach_the_queue_at_once_and_hide_at_the_threshold() -> None:
    post = published()
    first = rep(post, BO, note="  It names a method.  ")
    assert [type(e) for e in first] == [PostReported] and first[0].note == "sealed:It names a method."  # type: ignore[union-attr]
    post = fold(first, post)
    assert post.review == "reports" and post.visible and not post.urgent  # queued, not hidden
    with pytest.raises(Conflict):
        rep(post, BO)  # report twice
    with pytest.raises(Conflict):
        rep(post, ANA)  # your own
    with pytest.raises(Invalid):
        rep(post, MO, "boring")
    with pytest.raises(Invalid):
        rep(post, MO, note="x" * 501)
    with pytest.raises(Invalid):
        rep(post, MO, note="mail me", personal="an e-mail address")
    crossing = rep(post, MO, "harmful", 2.0)
    assert isinstance(crossing[-1], PostHidden)
    hidden = fold(crossing, post)
    assert hidden.hidden and hidden.review == "reports" and not hidden.visible
    with pytest.raises(NotFound):
        rep(hidden, AL)  # a hidden item is not there to report
    with pytest.raises(NotFound):
        rep(submitted()[0], BO)  # nor one that is not published
    assert act(hidden, "approve", AL).visible


def test_someone_may_be_at_risk_makes_a_post_urgent_with_one_light_report() -> None:
    post = fold(rep(published(), BO, "at-risk", 0.25), published())
    assert post.urgent and post.review == "reports" and post.visible and not post.hidden


def test_replies_need_a_visible_story_and_its_author_may_hide_them() -> None:
    story = published()
    cmd = SubmitReply(
        item_id=uuid4(), author=BO, pseudonym="Bo", body="Proud of you", trusted=False, screened=Screened(), now=NOW
    )
    reply = fold(replies.submit_reply(story, cmd, plain))
    assert reply.kind == "reply" and reply.status == "pending" and reply.story_author_id == ANA.actor_id
    with pytest.raises(NotFound):
        replies.submit_reply(submitted()[0], cmd, plain)
    for gone in (fold(domain.withdraw(story, ANA, NOW), story), act(story, "remove")):
        with pytest.raises(Conflict):
            replies.submit_reply(gone, cmd, plain)
    with pytest.raises(Conflict):
        act(reply, "request_changes", reason="other")
    up = act(reply, "approve")
    hidden = fold(replies.hide_reply(up, ANA, NOW), up)
    assert isinstance(replies.hide_reply(up, ANA, NOW)[0], ReplyHiddenByAuthor) and not hidden.visible
    with pytest.raises(Forbidden):
        replies.hide_reply(up, MO, NOW)
    with pytest.raises(Conflict):
        replies.hide_reply(hidden, ANA, NOW)


def test_encouragement_one_of_each_kind_and_can_be_taken_back() -> None:
    story = published()
    sent = cheers.evolve(None, cheers.encourage(story, None, BO, "proud", NOW)[0])  # type: ignore[arg-type]
    with pytest.raises(Conflict):
        cheers.encourage(story, sent, BO, "proud", NOW)  # twice with one kind
    assert cheers.encourage(story, sent, BO, "me-too", NOW)
    with pytest.raises(Conflict):
        cheers.encourage(story, None, ANA, "proud", NOW)  # your own story
    with pytest.raises(Invalid):
        cheers.encourage(story, None, BO, "like", NOW)
    with pytest.raises(NotFound):
        cheers.encourage(submitted()[0], None, BO, "proud", NOW)
    back = cheers.take_back(story.item_id, sent, BO, "proud", NOW)
    assert cheers.evolve(sent, back[0]).kinds == frozenset()  # type: ignore[arg-type]
    with pytest.raises(NotFound):
        cheers.take_back(story.item_id, None, BO, "proud", NOW)


def test_warning_preferences_hide_wins_over_blur() -> None:
    chosen = cheers.set_warnings(BO, ("suicide",), ("suicide", "grief"), NOW)
    assert chosen.hide == ("suicide",) and chosen.blur == ("grief",)
    with pytest.raises(Invalid):
        cheers.set_warnings(BO, ("gore",), (), NOW)


def test_evolve_covers_every_post_event() -> None:
    post = published()
    for event in (
        PostApproved(item_id=post.item_id, kind="story", author_id=ANA.actor_id, moderator_id=MO.actor_id, approved_at=NOW),
        PostRejected(item_id=post.item_id, kind="story", author_id=ANA.actor_id, moderator_id=MO.actor_id, reason="spam", rejected_at=NOW),
        ChangesRequested(item_id=post.item_id, author_id=ANA.actor_id, moderator_id=MO.actor_id, reason="other", requested_at=NOW),
        PostRemoved(item_id=post.item_id, kind="story", author_id=ANA.actor_id, moderator_id=MO.actor_id, reason="spam", removed_at=NOW),
        PostWithdrawn(item_id=post.item_id, kind="story", author_id=ANA.actor_id, withdrawn_at=NOW),
        AppealFiled(item_id=post.item_id, kind="story", author_id=ANA.actor_id, statement="s", filed_at=NOW),
        AppealDecided(item_id=post.item_id, kind="story", author_id=ANA.actor_id, moderator_id=AL.actor_id, upheld=True, decided_at=NOW),
    ):  # fmt: skip
        assert domain.evolve(post, event).item_id == post.item_id
    with pytest.raises(NotFound):
        domain.evolve(None, PostWithdrawn(item_id=UUID(int=1), kind="story", author_id=ANA.actor_id, withdrawn_at=NOW))
