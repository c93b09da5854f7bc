"""'How far you've come': weekly mood, victories by theme, bounce-back, then and now."""

from __future__ import annotations

import datetime as dt

import msgspec
import pytest

from services.journal import progress as p

pytestmark = pytest.mark.unit
D = dt.date(2026, 1, 5)  # a Monday
NOON = dt.datetime(2026, 1, 5, 12, tzinfo=dt.UTC)


def pt(kind: str, day: int, mood: int | None = None, themes: tuple[str, ...] = (), recorded: int = 0) -> p.Point:
    """An entry of day ``day``, recorded ``recorded`` minutes after noon of that day."""
    at = NOON + dt.timedelta(days=day, minutes=recorded)
    return p.Point(kind=kind, day=D + dt.timedelta(days=day), mood=mood, themes=themes, recorded_at=at)


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


def test_a_victory_recorded_before_the_setback_the_same_day_does_not_count_as_after_it() -> None:
    points = [pt("victory", 0, recorded=0), pt("setback", 0, recorded=30), pt("victory", 2)]
    assert p.bounce_back(points) == (2,)  # not 0: the morning's win came before the setback
    later = [pt("setback", 0, recorded=0), pt("victory", 0, recorded=30)]
    assert p.bounce_back(later) == (0,)
    assert p.bounce_back(list(reversed(later))) == (0,)  # the order of the points given does not matter


def test_points_read_as_the_database_sends_them() -> None:
    row = b'[["victory","2026-01-05",null,["learning"],"2026-01-05T09:30:00.123456+00:00"]]'
    (point,) = msgspec.json.decode(row, type=list[p.Point])
    assert point.recorded_at == dt.datetime(2026, 1, 5, 9, 30, 0, 123456, tzinfo=dt.UTC)


def test_then_and_now_needs_more_than_a_month() -> None:
    assert p.then_and_now([pt("victory", 0), pt("victory", 20)]) == (None, None)
    first, last = p.then_and_now(
        [pt("mood", 0, 2), pt("setback", 1), pt("victory", 70), pt("victory", 80), pt("mood", 80, 4)]
    )
    assert first is not None and last is not None
    assert (first.victories, first.setbacks, first.mood_average) == (0, 1, 2.0)
    assert (last.victories, last.setbacks, last.mood_average) == (2, 0, 4.0)


def test_few_bounce_backs_are_each_listed_oldest_first() -> None:
    few = p.bounce_back_of((1, 0, 3))  # newest first, as the database sends them
    assert (few.days, few.typical, few.sample) == ((3, 0, 1), None, 0)
    assert p.bounce_back_of(()).days == ()


def test_many_bounce_backs_become_the_most_recent_few_and_the_middle_of_the_sample() -> None:
    recent = (2, 0, 0, 5, 1, 1, 0, 9, 1, 0, 4)  # newest first: one more than are listed
    many = p.bounce_back_of(recent)
    assert many.days == (1, 5, 0, 0, 2)  # the five most recent, oldest first
    assert (many.typical, many.sample) == (1, len(recent))  # the lower middle: no half days


def test_the_counts_say_what_the_points_say() -> None:
    points = [pt("mood", 0, 2), pt("setback", 1), pt("victory", 70, themes=("learning",)), pt("mood", 80, 4)]
    weeks = [
        p.WeekSum(week_start=D, mood_sum=2, moods=1),
        p.WeekSum(week_start=D + dt.timedelta(days=77), mood_sum=4, moods=1),
    ]
    assert p.weeks_of(reversed(weeks)) == p.weekly_mood(points)
    assert p.themes_of([("learning", 1), ("advocacy", 0)]) == p.victories_by_theme(points)
    span = p.Span(
        first_day=D, last_day=D + dt.timedelta(days=80), first=p.PeriodSum(victories=0, setbacks=1, mood_sum=2, moods=1),
        last=p.PeriodSum(victories=1, setbacks=0, mood_sum=4, moods=1),
    )  # fmt: skip
    assert p.periods_of(span) == p.then_and_now(points)
    assert p.periods_of(None) == (None, None)
