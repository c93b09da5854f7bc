"""'How far you've come': pure computations over a journal's entries (no text needed).

Framed as a continuum: setbacks are dips, nothing resets, and there are no streaks.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Sequence

import msgspec

from shared.contracts.journal import THEMES, PeriodSummary, ThemeCount, WeekMood

PERIOD = dt.timedelta(days=30)


class Point(msgspec.Struct, frozen=True, kw_only=True, array_like=True):
    """One entry as the progress view needs it; read from the database as a JSON array.
    ``recorded_at`` orders entries within a day (the day is what the person chose; two entries
    of one day happened in the order they were written)."""

    kind: str
    day: dt.date
    mood: int | None
    themes: tuple[str, ...]
    recorded_at: dt.datetime


def weekly_mood(points: Sequence[Point]) -> tuple[WeekMood, ...]:
    weeks: dict[dt.date, list[int]] = defaultdict(list)
    for p in points:
        if p.kind == "mood" and p.mood is not None:
            weeks[p.day - dt.timedelta(days=p.day.weekday())].append(p.mood)
    return tuple(
        WeekMood(week_start=start, average=round(sum(m) / len(m), 2), count=len(m))
        for start, m in sorted(weeks.items())
    )


def victories_by_theme(points: Sequence[Point]) -> tuple[ThemeCount, ...]:
    counts = Counter(t for p in points if p.kind == "victory" for t in p.themes)
    return tuple(
        ThemeCount(theme=t, label=THEMES.get(t, t), count=n)
        for t, n in sorted(counts.items(), key=lambda x: (-x[1], x[0]))
    )


def _when(p: Point) -> tuple[dt.date, dt.datetime]:
    return (p.day, p.recorded_at)


def bounce_back(points: Sequence[Point]) -> tuple[int, ...]:
    """For each setback followed by a victory: days from the setback to the next victory. A
    victory of the same day counts only if it was recorded after the setback."""
    victories = sorted(_when(p) for p in points if p.kind == "victory")
    out = []
    for setback in sorted(_when(p) for p in points if p.kind == "setback"):
        i = bisect_left(victories, setback)  # the first victory recorded after the setback
        if i < len(victories):
            out.append((victories[i][0] - setback[0]).days)
    return tuple(out)


def _summary(label: str, points: Sequence[Point]) -> PeriodSummary:
    moods = [p.mood for p in points if p.kind == "mood" and p.mood is not None]
    return PeriodSummary(
        label=label,
        victories=sum(p.kind == "victory" for p in points),
        setbacks=sum(p.kind == "setback" for p in points),
        mood_average=round(sum(moods) / len(moods), 2) if moods else None,
    )


def then_and_now(points: Sequence[Point]) -> tuple[PeriodSummary | None, PeriodSummary | None]:
    """The first 30 days against the last 30, once there is more than 30 days of history."""
    if not points:
        return None, None
    first_day, last_day = min(p.day for p in points), max(p.day for p in points)
    if last_day - first_day < PERIOD:
        return None, None
    first = [p for p in points if p.day < first_day + PERIOD]
    last = [p for p in points if p.day > last_day - PERIOD]
    return _summary("Your first 30 days", first), _summary("Your last 30 days", last)
