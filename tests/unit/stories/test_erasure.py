"""Erasure in the stories domain: names sealed in what is written from now on, a reporter's weight
that goes with them, and events that say so with ids only. Pure: no I/O, no clock."""

from __future__ import annotations

import datetime as dt
import typing
from uuid import UUID, uuid4

import pytest

from services.stories import domain, moderation, replies
from services.stories.commands import Screened, SubmitReply, Who
from services.stories.events import REGISTRY, MemberErased, PostHidden, ReportErased
from shared.contracts.erasure import APPLIED
from shared.messages import tag_of
from tests.unit.stories.test_domain import ANA, BO, MO, NOW, act, fold, plain, published, rep, submitted

pytestmark = pytest.mark.unit
CY, DI = Who(actor_id=uuid4()), Who(actor_id=uuid4())


def test_the_authors_pseudonym_is_sealed_in_stories_and_replies() -> None:
    _, events = submitted()
    assert events[0].pseudonym == "sealed:Ana"  # type: ignore[union-attr]
    cmd = SubmitReply(
        item_id=uuid4(), author=BO, pseudonym="Bo", body="Proud of you", trusted=False, screened=Screened(), now=NOW
    )
    assert replies.submit_reply(published(), cmd, plain)[0].pseudonym == "sealed:Bo"  # type: ignore[union-attr]


def test_the_erasure_events_are_published_and_carry_ids_only() -> None:
    assert APPLIED["stories"] == tag_of(MemberErased)
    for event in (MemberErased, ReportErased):
        assert tag_of(event) in REGISTRY.tags and not REGISTRY.is_private(tag_of(event))
        hints = typing.get_type_hints(event)
        words = {name for name, kind in hints.items() if kind is str}
        assert words <= {"kind"}, "a kind of post is all the text they carry"
        assert all(kind in (UUID, dt.datetime, float, bool, str) for kind in hints.values())


def _hidden_by(*reports: tuple[Who, float]) -> domain.Post:
    post = published()
    for who, weight in reports:
        post = fold(rep(post, who, weight=weight), post)
    assert post.hidden
    return post


def test_a_post_hidden_only_by_the_leavers_weight_is_shown_again() -> None:
    post = _hidden_by((BO, 1.0), (CY, 2.5))
    lifted = moderation.lift_report(post, CY.actor_id, 3.0, NOW)
    assert lifted == [ReportErased(
        item_id=post.item_id, kind="story", reporter_id=CY.actor_id, weight=2.5, shown_again=True, erased_at=NOW
    )]  # fmt: skip
    after = fold(lifted, post)
    assert after.visible and after.weight == pytest.approx(1.0) and after.reporters == {BO.actor_id}
    assert after.review == "reports"  # a moderator still looks at what was reported
    # the weight left is what the rule weighs next: one more light report does not hide it again
    assert [type(e) for e in rep(after, DI, weight=1.5)] == [moderation.PostReported]  # type: ignore[attr-defined]
    assert isinstance(rep(after, DI, weight=2.0)[-1], PostHidden)


def test_a_post_others_still_hide_stays_hidden_without_the_leavers_weight() -> None:
    post = _hidden_by((BO, 2.0), (CY, 0.5), (DI, 1.0))
    after = fold(moderation.lift_report(post, CY.actor_id, 3.0, NOW), post)
    assert after.hidden and after.weight == pytest.approx(3.0)


def test_a_moderators_decision_stays() -> None:
    hidden = _hidden_by((BO, 1.0), (CY, 2.5))
    removed = act(hidden, "remove")
    lifted = moderation.lift_report(removed, CY.actor_id, 3.0, NOW)
    assert len(lifted) == 1 and not lifted[0].shown_again  # type: ignore[union-attr]
    assert fold(lifted, removed).status == "removed"
    approved = act(hidden, "approve", MO)  # approved after the reports: visible, and stays so
    assert fold(moderation.lift_report(approved, CY.actor_id, 3.0, NOW), approved).visible


def test_nothing_to_lift_for_someone_who_did_not_report_it_or_a_post_that_is_not_there() -> None:
    post = _hidden_by((BO, 3.0))
    assert moderation.lift_report(post, ANA.actor_id, 3.0, NOW) == []
    assert moderation.lift_report(None, BO.actor_id, 3.0, NOW) == []
    once = fold(moderation.lift_report(post, BO.actor_id, 3.0, NOW), post)
    assert moderation.lift_report(once, BO.actor_id, 3.0, NOW) == []  # a second time changes nothing
