"""What a report weighs. The moderation queue asks for report counts only on lines with weight,
so every report must weigh something, whoever sends it."""

from __future__ import annotations

import pytest

from services.stories.handlers import report_weight, trust_score

pytestmark = pytest.mark.unit


def test_a_newcomers_report_weighs_one() -> None:
    assert report_weight(trust_score(0, 0)) == 1.0


def test_earned_trust_adds_up_to_one_more() -> None:
    assert report_weight(trust_score(5, 0)) == 1.5
    assert report_weight(trust_score(500, 0)) == 2.0


@pytest.mark.parametrize(("removed", "weight"), [(1, 0.7), (5, 0.5), (100, 0.5)])
def test_removals_take_weight_away_but_a_report_always_weighs_something(removed: int, weight: float) -> None:
    assert report_weight(trust_score(0, removed)) == pytest.approx(weight)
