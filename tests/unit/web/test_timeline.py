"""The timeline's items, written in Python: what each reader sees, and nobody's words as markup."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser
from uuid import UUID

import pytest
from markupsafe import Markup

from shared.contracts.journal import EntryView, NoteView, TimelineItem
from web.timeline import Card, timeline_items

pytestmark = pytest.mark.unit
OWNER, KEEPER = UUID(int=1), UUID(int=2)
DAY = dt.date(2026, 3, 3)
HOSTILE = "<script>alert(1)</script> & \"quotes\" 'too'"


def _entry(**changes: object) -> EntryView:
    fields: dict[str, object] = {
        "entry_id": UUID(int=9), "version": 1, "kind": "victory", "text": "Walked to the shop", "helped": "",
        "mood": None, "themes": ("healthy_habits",), "occurred_on": DAY, "author_id": OWNER,
        "author_name": "Jo", "on_behalf": False, "visibility": "supporters", "needs_confirmation": False,
        "confirmed": False, "edited": False,
    }  # fmt: skip
    return EntryView(**{**fields, **changes})  # type: ignore[arg-type]


def _card(reader: UUID = OWNER, **changes: object) -> Card:
    fields: dict[str, object] = {
        "owner": reader == OWNER, "reader_id": reader, "name": "Jo", "base": "/journal",
        "here": "/journal?kind=victory&", "here_plain": "/journal?kind=victory", "note_for": None,
        "ask_retract": None, "back_fields": Markup('<input type="hidden" name="back" value="/journal">'),
        "step_words": lambda item: f"Sam proposed a handover step: {item.stage}.",
    }  # fmt: skip
    return Card(**{**fields, **changes})  # type: ignore[arg-type]


def _html(*items: TimelineItem, card: Card | None = None) -> str:
    return str(timeline_items(items, card or _card()))


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parsed(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    return parser


def test_words_from_people_are_text_never_markup() -> None:
    note = NoteView(
        note_id=UUID(int=5), author_name=HOSTILE, text=HOSTILE, added_at=dt.datetime(2026, 3, 3, tzinfo=dt.UTC)
    )
    hostile = _entry(text=HOSTILE, helped=HOSTILE, author_id=KEEPER, author_name=HOSTILE, on_behalf=True, notes=(note,))
    observation = TimelineItem(day=DAY, kind="observation", text=HOSTILE, by=HOSTILE)
    html = _html(TimelineItem(day=DAY, kind="victory", entry=hostile), observation, card=_card(name=HOSTILE))
    parsed = _parsed(html)
    assert "script" not in parsed.tags
    assert (
        "".join(parsed.text).count(HOSTILE) == 7
    )  # text, helped, written by, a note and its author, an observation and who noticed it


def test_the_owner_sees_edit_retract_and_confirm_a_supporter_only_add_a_note() -> None:
    waiting = TimelineItem(day=DAY, kind="victory", entry=_entry(author_id=KEEPER, needs_confirmation=True))
    as_owner = _html(waiting)
    assert "Confirm this entry" in as_owner and ">Edit<" in as_owner and ">Retract<" in as_owner
    assert "waiting for your confirmation" in as_owner
    encourager = _card(reader=UUID(int=3))
    as_other = _html(waiting, card=encourager)
    assert "Confirm this entry" not in as_other and ">Edit<" not in as_other and ">Retract<" not in as_other
    assert "Add a note" in as_other and "waiting for <bdi>Jo</bdi>'s confirmation" in as_other


def test_private_entries_say_who_sees_them() -> None:
    private = TimelineItem(day=DAY, kind="victory", entry=_entry(visibility="private"))
    assert "· only you" in _html(private)
    by_keeper = TimelineItem(day=DAY, kind="victory", entry=_entry(visibility="private", author_id=KEEPER))
    assert "· only <bdi>Jo</bdi> and you" in _html(by_keeper, card=_card(reader=KEEPER))


def test_the_filters_stay_in_every_link_escaped_once() -> None:
    item = TimelineItem(day=DAY, kind="victory", entry=_entry())
    html = _html(item)
    eid = UUID(int=9)
    assert f'href="/journal?kind=victory&amp;note={eid}#e-{eid}"' in html


def test_asking_to_retract_and_writing_a_note_open_in_place() -> None:
    item = TimelineItem(day=DAY, kind="victory", entry=_entry())
    eid = str(UUID(int=9))
    asking = _html(item, card=_card(ask_retract=eid))
    assert "Retract this entry?" in asking and f'action="/journal/entries/{eid}/retract"' in asking
    assert ">Retract<" not in asking and 'name="back"' in asking
    noting = _html(item, card=_card(note_for=eid))
    assert f'id="note-{eid}"' in noting and 'name="idempotency_key"' in noting and "Add a note" not in noting


def test_handover_steps_and_private_observations_are_quiet_lines() -> None:
    step = TimelineItem(day=DAY, kind="handover", step="proposed", stage="kept_together", by="Sam")
    kept = TimelineItem(day=DAY, kind="observation", text="You went out twice", by="Sam", private=True)
    html = _html(step, kept)
    assert '<li class="step">Sam proposed a handover step: kept_together.</li>' in html
    assert "Noticed by <bdi>Sam</bdi>" in html and "kept just for you" in html
    assert "Mood 4 of 5" in _html(TimelineItem(day=DAY, kind="mood", entry=_entry(kind="mood", mood=4, text="")))


def test_every_name_is_isolated_from_the_words_and_dates_beside_it() -> None:
    rtl = "נועה 2"  # a right-to-left pseudonym ending in a digit
    note = NoteView(
        note_id=UUID(int=5), author_name=rtl, text="כל הכבוד", added_at=dt.datetime(2026, 3, 3, tzinfo=dt.UTC)
    )
    entry = _entry(
        author_id=KEEPER, author_name=rtl, on_behalf=True, visibility="private", needs_confirmation=True, notes=(note,)
    )
    observation = TimelineItem(day=DAY, kind="observation", text="You went out", by=rtl)
    html = _html(
        TimelineItem(day=DAY, kind="victory", entry=entry), observation, card=_card(reader=UUID(int=3), name=rtl)
    )
    names = html.count(rtl)
    assert names == 5  # written by, only them, their confirmation, a note's author, who noticed
    assert html.count(f"<bdi>{rtl}</bdi>") == names
