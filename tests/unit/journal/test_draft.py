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
    empty = compose([entry("mood", 2, "")])
    assert (empty.title, empty.body, empty.entries) == ("", "", 0)


def test_an_empty_period_says_so_and_names_it() -> None:
    since, until = dt.date(2026, 3, 3), dt.date(2026, 3, 10)
    draft = compose([], since, until)
    assert (draft.title, draft.body, draft.entries) == ("", "", 0)
    assert draft.note.startswith("Your journal has no victories or setbacks from 3 March to 10 March")
    assert "write your story in your own words" in draft.note
    assert "since 3 March" in compose([entry("mood", 4, "ok", mood=3)], since).note
    assert "up to 10 March" in compose([], until=until).note
    assert "on 3 March" in compose([], since, since).note
    assert "among the entries you chose" in compose([]).note
    assert compose([entry("victory", 4, "Made tea")], since, until).note == ""  # a draft needs no note
