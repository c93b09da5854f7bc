"""The public Atom feed is well-formed XML whatever a story holds, even text stored before the edge
refused control characters: one bad title must not break the feed for every reader."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path
from uuid import uuid4

import pytest
from litestar.plugins.jinja import JinjaTemplateEngine

import web
from shared.contracts.stories import WARNINGS, StoryCard
from web.templating import register_template_helpers

pytestmark = pytest.mark.unit
ATOM = "{http://www.w3.org/2005/Atom}"
CONTROL = "".join(chr(c) for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)]) + "\ufffe\uffff"


def _feed(*cards: StoryCard) -> str:
    engine = JinjaTemplateEngine(directory=Path(web.__file__).parent / "templates")
    register_template_helpers(engine)
    when = dt.datetime(2026, 5, 1, tzinfo=dt.UTC)
    return engine.get_template("stories/feed.atom.j2").render(
        stories=cards, base="https://sw.example", updated=when, warnings=WARNINGS
    )


def _card(title: str, excerpt: str, pseudonym: str = "Ana") -> StoryCard:
    return StoryCard(
        id=uuid4(), pseudonym=pseudonym, title=title, excerpt=excerpt, themes=(), warnings=("grief",),
        published_at=dt.datetime(2026, 5, 1, tzinfo=dt.UTC),
    )  # fmt: skip


def test_control_characters_stored_earlier_leave_the_feed_well_formed() -> None:
    bad = _card(f"Up{CONTROL}again", f"One\tday\r\nat a {CONTROL}time <b>&</b>", pseudonym=f"A{CONTROL}na")
    good = _card("Small steps", "Still here 💚")
    root = ET.fromstring(_feed(bad, good))  # noqa: S314 - our own feed; raises unless well-formed
    entries = root.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["Upagain", "Small steps"]
    assert entries[0].findtext(f"{ATOM}author/{ATOM}name") == "Ana"
    summary = entries[0].findtext(f"{ATOM}summary") or ""
    assert summary.endswith("One\tday\nat a time <b>&</b>")  # escaped in the document, text again once parsed
    assert entries[1].findtext(f"{ATOM}summary") == "Content warning: Grief and loss. Still here 💚"
