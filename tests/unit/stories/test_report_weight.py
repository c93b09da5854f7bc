"""What a report weighs: an account's age, then its approved posts and removals. The moderation
queue asks for report counts only on lines with weight, so every report must weigh something."""

from __future__ import annotations

import datetime as dt

import pytest

from services.stories.trust import Standing, report_weight, trust_score, trusted

pytestmark = pytest.mark.unit
NOW = dt.datetime(2026, 3, 3, 12, 0, tzinfo=dt.UTC)
THRESHOLD = 3.0  # SMALLWINS_STORIES_HIDE_WEIGHT's default


def joined(days: float, approved: int = 0, removed: int = 0) -> Standing:
    return Standing(registered_at=NOW - dt.timedelta(days=days), approved=approved, removed=removed)


@pytest.mark.parametrize(("days", "weight"), [(0, 0.25), (0.9, 0.25), (3, 0.5), (10, 0.75), (30, 1.0), (400, 1.0)])
def test_an_accounts_age_sets_the_weight_of_its_report(days: float, weight: float) -> None:
    assert report_weight(joined(days), NOW) == weight


def test_an_account_the_service_has_not_heard_of_yet_counts_as_brand_new() -> None:
    assert report_weight(Standing(), NOW) == 0.25


def test_approved_posts_add_up_to_one_more() -> None:
    assert report_weight(joined(60, approved=5), NOW) == 1.5
    assert report_weight(joined(60, approved=500), NOW) == 2.0
    assert report_weight(joined(0, approved=2), NOW) == pytest.approx(0.45)


@pytest.mark.parametrize(("removed", "weight"), [(1, 0.7), (3, 0.1), (100, 0.1)])
def test_removals_take_weight_away_but_a_report_always_weighs_something(removed: int, weight: float) -> None:
    assert report_weight(joined(60, removed=removed), NOW) == pytest.approx(weight)


def test_a_newcomers_handful_of_fresh_accounts_cannot_hide_a_story_an_established_member_cannot() -> None:
    fresh = [report_weight(joined(0.001), NOW) for _ in range(3)]
    assert sum(fresh) < THRESHOLD
    assert sum(fresh) < report_weight(joined(60, approved=10), NOW)
    assert report_weight(joined(60), NOW) * 3 >= THRESHOLD  # three established members can


def test_trust_to_publish_directly_counts_approvals_less_three_per_removal() -> None:
    assert trust_score(5, 1) == 2
    assert trusted(joined(0, approved=3), 3) and not trusted(joined(400, approved=5, removed=1), 3)
