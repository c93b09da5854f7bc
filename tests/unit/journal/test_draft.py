"""The story draft the journal composes from a member's own entries. Pure."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import uuid4

import pytest

from services.journal.draft import compose
from shared.contracts import journal as j

pytestmark = pytest.mark.unit


def entry(kind: str, day: int, text: str, **fields: Any) -> j.EntryView:
    values: dict[str, Any] = {
        "entry_id": uuid4(), "version": 1, "kind": kind, "text": text, "helped": "", "mood": None, "themes": (),
        "occurred_on": dt.date(2026, 3, day), "author_id": uuid4(), "author_name": "Ana", "on_behalf": False,
        "visibility": "private", "needs_confirmation": False, "confirmed": False, "edited": False,
    }  # fmt: skip
    return j.EntryView(**{**values, **fields})


def test_the_arc_runs_from_the_setback_to_the_victories_since() -> None:
    entries = [
        entry("victory", 1, "Before it all", themes=("small-wins",)),
        entry("setback", 3, "Stayed in bed", helped="A friend called", themes=("setbacks",)),
        *(entry("victory", 4 + n, f"Win {n}", themes=("small-wins",)) for n in range(5)),
        entry("mood", 9, "ok", mood=3),
    ]
    draft = compose(entries)
    assert draft.title == "From a hard day to five small wins"
    assert "From the setback on 3 March to five victories since:" in draft.body
    assert "What helped: A friend called" in draft.body and "Before it all" not in draft.body
    assert draft.body.index("Win 0") < draft.body.index("Win 4") and draft.themes[0] == "small-wins"
    assert draft.entries == 7


def test_victories_alone_and_nothing_at_all() -> None:
    assert compose([entry("victory", 2, "Made tea")]).title == "One small win"
    assert compose([entry("mood", 2, "")]) == j.StoryDraft(title="", body="", entries=0)
