"""'How far you've come': pure computations (no text needed).

Framed as a continuum: setbacks are dips, nothing resets, and there are no streaks.

The page is made from counts the journal keeps per day and per theme (``progress_model``, ADR 26)
by the functions under "From the counts". The functions over ``Point``s say the same things
from the entries themselves: they are the definition the counts are held to in the tests, and
they share their last step with the page's.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from statistics import median_low

import msgspec

from shared.contracts.journal import THEMES, PeriodSummary, ThemeCount, WeekMood

PERIOD = dt.timedelta(days=30)
BOUNCE_LISTED = 10  # up to this many bounce-backs, each is listed; beyond it, a summary
BOUNCE_RECENT = 5  # the summary lists the most recent few
BOUNCE_SAMPLE = 100  # and gives the middle of the most recent this many


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
    return weeks_of(WeekSum(week_start=start, mood_sum=sum(m), moods=len(m)) for start, m in weeks.items())


def victories_by_theme(points: Sequence[Point]) -> tuple[ThemeCount, ...]:
    return themes_of(Counter(t for p in points if p.kind == "victory" for t in p.themes).items())


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


def _sum(points: Sequence[Point]) -> PeriodSum:
    moods = [p.mood for p in points if p.kind == "mood" and p.mood is not None]
    return PeriodSum(
        victories=sum(p.kind == "victory" for p in points), setbacks=sum(p.kind == "setback" for p in points),
        mood_sum=sum(moods), moods=len(moods),
    )  # fmt: skip


def then_and_now(points: Sequence[Point]) -> tuple[PeriodSummary | None, PeriodSummary | None]:
    """The first 30 days against the last 30, once there is more than 30 days of history."""
    if not points:
        return None, None
    first_day, last_day = min(p.day for p in points), max(p.day for p in points)
    first = [p for p in points if p.day < first_day + PERIOD]
    last = [p for p in points if p.day > last_day - PERIOD]
    return periods_of(Span(first_day=first_day, last_day=last_day, first=_sum(first), last=_sum(last)))


# --- From the counts (what the page is made from) ----------------------------------------------


class WeekSum(msgspec.Struct, frozen=True, kw_only=True, array_like=True):
    """A week's mood check-ins: the week's Monday, the sum of their moods and how many there were."""

    week_start: dt.date
    mood_sum: int
    moods: int


class PeriodSum(msgspec.Struct, frozen=True, kw_only=True, array_like=True):
    victories: int
    setbacks: int
    mood_sum: int
    moods: int


class Span(msgspec.Struct, frozen=True, kw_only=True, array_like=True):
    """The journal's first and last day with an entry, and the counts of the 30 days from the
    first and of the 30 days to the last."""

    first_day: dt.date
    last_day: dt.date
    first: PeriodSum
    last: PeriodSum


def _average(total: int, n: int) -> float | None:
    return round(total / n, 2) if n else None


def weeks_of(weeks: Iterable[WeekSum]) -> tuple[WeekMood, ...]:
    return tuple(
        WeekMood(week_start=w.week_start, average=round(w.mood_sum / w.moods, 2), count=w.moods)
        for w in sorted(weeks, key=lambda w: w.week_start)
        if w.moods
    )


def themes_of(counts: Iterable[tuple[str, int]]) -> tuple[ThemeCount, ...]:
    """Victories by theme, most first."""
    return tuple(
        ThemeCount(theme=t, label=THEMES.get(t, t), count=n)
        for t, n in sorted(counts, key=lambda x: (-x[1], x[0]))
        if n
    )


def _summary(label: str, s: PeriodSum) -> PeriodSummary:
    return PeriodSummary(
        label=label, victories=s.victories, setbacks=s.setbacks, mood_average=_average(s.mood_sum, s.moods)
    )


def periods_of(span: Span | None) -> tuple[PeriodSummary | None, PeriodSummary | None]:
    """Then and now, once there is more than 30 days of history."""
    if span is None or span.last_day - span.first_day < PERIOD:
        return None, None
    return _summary("Your first 30 days", span.first), _summary("Your last 30 days", span.last)


class BounceBack(msgspec.Struct, frozen=True, kw_only=True):
    days: tuple[int, ...]  # each bounce-back listed, oldest first
    typical: int | None = None  # the middle of the sample, once there are too many to list
    sample: int = 0  # how many bounce-backs ``typical`` is the middle of


def bounce_back_of(recent: Sequence[int]) -> BounceBack:
    """From the days of the most recent bounce-backs, newest first (at most ``BOUNCE_SAMPLE``):
    every one while there are few; else the most recent few and the middle of the sample."""
    if len(recent) <= BOUNCE_LISTED:
        return BounceBack(days=tuple(reversed(recent)))
    shown = tuple(reversed(recent[:BOUNCE_RECENT]))
    return BounceBack(days=shown, typical=median_low(recent), sample=len(recent))
