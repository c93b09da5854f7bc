"""'How far you've come': weekly mood, victories by theme, bounce-back, then and now."""

from __future__ import annotations

import datetime as dt

import pytest

from services.journal import progress as p

pytestmark = pytest.mark.unit
D = dt.date(2026, 1, 5)  # a Monday


def pt(kind: str, day: int, mood: int | None = None, themes: tuple[str, ...] = ()) -> p.Point:
    return p.Point(kind=kind, day=D + dt.timedelta(days=day), mood=mood, themes=themes)


def test_weekly_mood_averages_by_monday() -> None:
    weeks = p.weekly_mood([pt("mood", 0, 2), pt("mood", 6, 4), pt("mood", 7, 5), pt("victory", 1)])
    assert [(w.week_start, w.average, w.count) for w in weeks] == [(D, 3.0, 2), (D + dt.timedelta(days=7), 5.0, 1)]
    assert p.weekly_mood([]) == ()


def test_victories_by_theme_most_first() -> None:
    counts = p.victories_by_theme(
        [
            pt("victory", 0, themes=("self-worth", "learning")),
            pt("victory", 1, themes=("learning",)),
            pt("setback", 2, themes=("setbacks",)),
        ]
    )
    assert [(c.theme, c.count) for c in counts] == [("learning", 2), ("self-worth", 1)]
    assert counts[0].label == "Continuous learning"


def test_bounce_back_days_from_each_setback_to_the_next_victory() -> None:
    points = [pt("setback", 0), pt("victory", 3), pt("setback", 5), pt("victory", 5), pt("setback", 9)]
    assert p.bounce_back(points) == (3, 0)  # the last setback has no victory after it yet: no verdict


def test_then_and_now_needs_more_than_a_month() -> None:
    assert p.then_and_now([pt("victory", 0), pt("victory", 20)]) == (None, None)
    first, last = p.then_and_now(
        [pt("mood", 0, 2), pt("setback", 1), pt("victory", 70), pt("victory", 80), pt("mood", 80, 4)]
    )
    assert first is not None and last is not None
    assert (first.victories, first.setbacks, first.mood_average) == (0, 1, 2.0)
    assert (last.victories, last.setbacks, last.mood_average) == (2, 0, 4.0)
