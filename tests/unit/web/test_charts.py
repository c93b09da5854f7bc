"""The mood chart renders for no, one and a year of check-ins, with a text title."""

from __future__ import annotations

import datetime as dt
import itertools
import random
import xml.etree.ElementTree as ET

import pytest

from services.journal import progress
from shared.contracts.journal import WeekMood
from web.charts import mood_chart

pytestmark = pytest.mark.unit
SVG = "{http://www.w3.org/2000/svg}"


def _weeks(checkins: int) -> tuple[WeekMood, ...]:
    rng = random.Random(3)
    start = dt.date(2025, 1, 1)
    points = [
        progress.Point(
            kind="mood",
            day=start + dt.timedelta(days=i),
            mood=rng.randint(1, 5),
            themes=(),
            recorded_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC) + dt.timedelta(days=i),
        )
        for i in range(checkins)
    ]
    return progress.weekly_mood(points)


def test_no_checkins_draw_nothing() -> None:
    assert str(mood_chart(())) == ""


@pytest.mark.parametrize(("checkins", "weeks"), [(1, 1), (365, 53)])
def test_chart_has_one_point_per_week_inside_the_box(checkins: int, weeks: int) -> None:
    svg = ET.fromstring(str(mood_chart(_weeks(checkins))))  # noqa: S314 - our own output
    assert svg.get("role") == "img"
    title = svg.find(f"{SVG}title")
    assert title is not None and f"{weeks} week" in (title.text or "")
    dots = svg.findall(f"{SVG}circle")
    assert len(dots) == weeks
    for dot in dots:
        x, y = float(dot.get("cx", "-1")), float(dot.get("cy", "-1"))
        assert 0 <= x <= 640 and 0 <= y <= 240
    line = svg.find(f"{SVG}polyline")
    assert line is not None and len((line.get("points") or "").split()) == weeks


@pytest.mark.parametrize("checkins", [14, 90, 365])
def test_axis_labels_stay_inside_the_chart_and_apart(checkins: int) -> None:
    """The first label starts at its point, the last ends at its own (neither is cut at an edge),
    and the labels between are far enough apart not to run into each other on a phone."""
    svg = ET.fromstring(str(mood_chart(_weeks(checkins))))  # noqa: S314 - our own output
    dates = [t for t in svg.findall(f"{SVG}text") if float(t.get("y", "0")) > 220]
    assert dates[0].get("text-anchor") == "start" and dates[-1].get("text-anchor") == "end"
    xs = [float(t.get("x", "0")) for t in dates]
    assert xs == sorted(xs) and all(b - a >= 110 for a, b in itertools.pairwise(xs))
    assert xs[0] >= 0 and xs[-1] <= 640
