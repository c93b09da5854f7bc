"""The moderation queue's rows, written in Python: what a moderator reads, and nobody's words as markup."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser
from uuid import UUID

import pytest

from shared.contracts.moderation import QueueLine, ReportCount
from web.queue import age, queue_rows

pytestmark = pytest.mark.unit
HOSTILE = "<script>alert(1)</script> & \"quotes\" 'too'"
AT = dt.datetime(2026, 3, 3, 12, 0, tzinfo=dt.UTC)


def _line(**changes: object) -> QueueLine:
    fields: dict[str, object] = {
        "id": UUID(int=7), "kind": "story", "story_id": UUID(int=7), "pseudonym": "Quiet Heron",
        "title": "The morning I went back to work", "status": "pending", "urgent": False, "flags": (),
        "warnings": (), "review": "new", "queued_at": AT, "age_seconds": 90,
    }  # fmt: skip
    return QueueLine(**{**fields, **changes})  # type: ignore[arg-type]


class _Cells(HTMLParser):
    """The text of each cell of each row, and every tag seen."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.tags: list[str] = []
        self.classes: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "tr":
            self.rows.append([])
            self.classes.append(dict(attrs).get("class"))
        elif tag == "td":
            self.rows[-1].append("")

    def handle_data(self, data: str) -> None:
        if self.rows and self.rows[-1]:
            self.rows[-1][-1] += data


def _parsed(*lines: QueueLine) -> _Cells:
    parser = _Cells()
    parser.feed(str(queue_rows(lines)))
    return parser


def test_a_line_names_the_item_its_author_why_it_waits_how_long_and_its_claim() -> None:
    cells = _parsed(_line())
    assert cells.rows == [["The morning I went back to work by Quiet Heron", "New, not yet shown", "1 min", "Free"]]
    assert 'href="/moderation/items/00000000-0000-0000-0000-000000000007"' in str(queue_rows([_line()]))


def test_an_urgent_item_is_marked_and_a_plain_one_is_not() -> None:
    cells = _parsed(_line(urgent=True), _line())
    assert cells.classes == ["urgent", None]
    assert cells.rows[0][0].startswith("Urgent ")
    assert not cells.rows[1][0].startswith("Urgent")


def test_a_reply_says_so_and_reports_say_why_and_whether_it_is_hidden() -> None:
    reports = (ReportCount(reason="at-risk", count=1), ReportCount(reason="unkind", count=2))
    cells = _parsed(
        _line(kind="reply", title="Me too, and", review="reports", report_weight=0.5, reports=reports),
        _line(review="reports", report_weight=3.0, reports=reports[1:], hidden=True),
    )
    assert cells.rows[0][0].startswith("Reply: Me too, and")
    assert cells.rows[0][1] == "Reported · Someone may be at risk (1), Unkind or unsupportive (2)"
    assert cells.rows[1][1] == "Reported · Unkind or unsupportive (2) · hidden meanwhile"


@pytest.mark.parametrize(
    ("fields", "word"),
    [
        ({"claimed_by_me": True}, "You"),
        ({"claimed_by_other": True, "claimed_by_name": "Al <b>"}, "Al <b>"),
        ({"decided_by_me": True, "review": "appeal"}, "Not you (your decision)"),
        ({}, "Free"),
    ],
)
def test_the_queue_says_who_holds_each_item(fields: dict[str, object], word: str) -> None:
    assert _parsed(_line(**fields)).rows[0][3] == word


def test_hostile_titles_and_pseudonyms_stay_text() -> None:
    cells = _parsed(_line(title=HOSTILE, pseudonym=HOSTILE))
    assert "script" not in cells.tags
    assert cells.rows[0][0] == f"{HOSTILE} by {HOSTILE}"


def test_an_empty_queue_says_nothing_is_waiting() -> None:
    assert _parsed().rows == [["Nothing is waiting. Thank you."]]


@pytest.mark.parametrize(
    ("seconds", "words"), [(0, "1 min"), (59 * 60, "59 min"), (3600, "1 h"), (86399, "23 h"), (3 * 86400, "3 d")]
)
def test_age_is_told_in_its_largest_whole_unit(seconds: int, words: str) -> None:
    assert age(seconds) == words
