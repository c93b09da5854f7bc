"""A triumph story drafted from a member's own victories and the setbacks they came through.
Pure: the author edits it freely before submitting anything."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence

from shared.contracts import journal as c
from shared.contracts import stories as st

NUMBERS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B}"


def _count(n: int, noun: str, plural: str = "") -> str:
    word = NUMBERS[n] if n < len(NUMBERS) else str(n)
    return f"{word} {noun if n == 1 else plural or noun + 's'}"


def nothing_to_draft(since: dt.date | None, until: dt.date | None) -> str:
    """What the author is told when the entries they chose hold no victory and no setback."""
    if since and until:
        when = f"from {_day(since)} to {_day(until)}" if since != until else f"on {_day(since)}"
    elif since:
        when = f"since {_day(since)}"
    elif until:
        when = f"up to {_day(until)}"
    else:
        when = "among the entries you chose"
    return (
        f"Your journal has no victories or setbacks {when}, so there is nothing to draft from yet. "
        "Try other days, or write your story in your own words."
    )


def compose(entries: Sequence[c.EntryView], since: dt.date | None = None, until: dt.date | None = None) -> c.StoryDraft:
    """The arc: from the first setback chosen to the victories since, oldest first. ``since`` and
    ``until`` are the period the author chose, named when it holds nothing to draft from."""
    story = sorted((e for e in entries if e.kind in ("victory", "setback")), key=lambda e: e.occurred_on)
    if not story:
        return c.StoryDraft(title="", body="", entries=0, note=nothing_to_draft(since, until))
    setback = next((e for e in story if e.kind == "setback"), None)
    after = [e for e in story if e.kind == "victory" and (setback is None or e.occurred_on >= setback.occurred_on)]
    lines: list[str] = []
    if setback is not None:
        title = f"From a hard day to {_count(len(after), 'small win')}"
        lines.append(f"On {_day(setback.occurred_on)} I had a setback: {setback.text}")
        if setback.helped:
            lines.append(f"What helped: {setback.helped}")
        lines.append(
            f"From the setback on {_day(setback.occurred_on)} to {_count(len(after), 'victory', 'victories')} since:"
        )
    else:
        title = f"{_count(len(after), 'small win').capitalize()}"
        lines.append("Some small wins I want to remember:")
    lines += [f"- {_day(e.occurred_on)}: {e.text}" for e in after]
    lines.append("It wasn't a straight line, and that's all right.")
    themes = Counter(t for e in story for t in e.themes)
    return c.StoryDraft(
        title=title[: st.TITLE_MAX], body="\n".join(lines)[: st.BODY_MAX],
        themes=tuple(t for t, _ in themes.most_common(st.THEMES_MAX)), entries=len(story),
    )  # fmt: skip
