"""Charts drawn on the server as SVG, each with a text alternative beside it."""

from __future__ import annotations

from functools import lru_cache

from markupsafe import Markup, escape

from shared.contracts.journal import WeekMood

WIDTH, HEIGHT, PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 640, 240, 40, 16, 16, 36
LABEL_GAP = 110  # between the points of two date labels: room for "30 Sep" at a phone's font size


def _y(mood: float) -> float:
    return PAD_TOP + (5 - mood) / 4 * (HEIGHT - PAD_TOP - PAD_BOTTOM)


def _anchor(i: int, last: int) -> str:
    if last > 0 and i == last:
        return "end"
    return "start" if i == 0 and last > 0 else "middle"


@lru_cache(maxsize=1024)
def mood_chart(weeks: tuple[WeekMood, ...], whose: str = "Your mood") -> Markup:
    """Weekly average mood (1-5) as a line; dips are part of the line, never a reset."""
    if not weeks:
        return Markup("")
    inner = WIDTH - PAD_LEFT - PAD_RIGHT
    step = inner / max(len(weeks) - 1, 1)
    points = [(PAD_LEFT + (i * step if len(weeks) > 1 else inner / 2), _y(w.average)) for i, w in enumerate(weeks)]
    grid = "".join(
        f'<line x1="{PAD_LEFT}" x2="{WIDTH - PAD_RIGHT}" y1="{_y(m):.1f}" y2="{_y(m):.1f}" class="grid"/>'
        f'<text x="{PAD_LEFT - 8}" y="{_y(m) + 4:.1f}" class="axis" text-anchor="end">{m}</text>'
        for m in range(1, 6)
    )
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    dots = "".join(
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{4 if len(weeks) < 60 else 2}" class="dot"><title>'
        f"Week of {w.week_start:%-d %b %Y}: {w.average:.1f}</title></circle>"
        for (x, y), w in zip(points, weeks, strict=True)
    )
    last = len(weeks) - 1
    # the first label starts at its point and the last ends at its own, so neither is cut at an
    # edge; between them, labels centred on their points at least LABEL_GAP apart, so that they
    # stay readable (and apart) when the chart shrinks to a phone's width
    shown, previous = [], points[0][0]
    for i, (x, _) in enumerate(points):
        if i in {0, last} or (x - previous >= LABEL_GAP and points[last][0] - x >= LABEL_GAP):
            shown.append(i)
            previous = x
    labels = "".join(
        f'<text x="{points[i][0]:.1f}" y="{HEIGHT - 8}" class="axis" text-anchor="{_anchor(i, last)}">'
        f"{weeks[i].week_start:%-d %b}</text>"
        for i in shown
    )
    title = escape(f"{whose}, week by week: {len(weeks)} week{'s' if len(weeks) != 1 else ''}")
    # only numbers, dates and the escaped title go into this markup
    return Markup(  # noqa: S704
        f'<svg class="mood-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="mood-chart-title"'
        f' xmlns="http://www.w3.org/2000/svg"><title id="mood-chart-title">{title}</title>{grid}'
        f'<polyline points="{line}" class="line" fill="none"/>{dots}{labels}</svg>'
    )
