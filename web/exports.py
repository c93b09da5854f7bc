"""A member's download of everything Small Wins keeps of them: one zip, a folder per part, each
part as JSON (all of it) and as CSV files (each table in it, for a spreadsheet), with a README that
says what is where (docs/adr/0036-erasure-in-the-feed.md).

Each service's part is asked of that service for the member alone. A part that cannot be had fails
the whole download: a member about to leave must not take home half of their data thinking it whole.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Awaitable, Callable, Iterable, Sequence

import msgspec

from shared.contracts import journal as j
from shared.contracts import notifications_export as nx
from shared.contracts import stories as s
from shared.contracts import stories_export as x
from shared.contracts.accounts import MemberView
from web.auth import Req, services_of
from web.pages.calls import ask_journal, ask_stories

Files = dict[str, bytes]
Part = Callable[[Req, MemberView], Awaitable[Files]]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
ENTRY_COLUMNS = (
    "day", "kind", "text", "what_helped", "mood", "themes", "written_by", "on_behalf", "visibility", "confirmed",
)  # fmt: skip


def csv_cell(value: object) -> object:
    """A cell a spreadsheet shows as text, never runs as a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def table(columns: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    writer.writerows([csv_cell(cell) for cell in row] for row in rows)
    return out.getvalue()


def as_json(view: msgspec.Struct) -> bytes:
    return msgspec.json.format(msgspec.json.encode(view), indent=2)


def entry_rows(view: j.ExportView) -> list[list[object]]:
    return [
        [e.occurred_on, e.kind, e.text, e.helped, e.mood or "", " ".join(e.themes), e.author_name, e.on_behalf,
         e.visibility, e.confirmed]
        for e in view.entries
    ]  # fmt: skip


async def journal_part(request: Req, member: MemberView) -> Files:
    view = await ask_journal(request, member, j.EXPORT, j.JournalRequest())
    return {
        "journal/journal.json": as_json(view),
        "journal/entries.csv": table(ENTRY_COLUMNS, entry_rows(view)).encode(),
    }


def _when(at: dt.datetime | None) -> str:
    return at.isoformat() if at else ""


def stories_tables(view: x.StoriesExport) -> dict[str, str]:
    """The stories part's tables, one CSV each."""
    words = " ".join
    return {
        "stories.csv": table(
            ("story", "status", "first_sent", "published", "themes", "warnings", "reason", "guidance", "appeal"),
            [(t.id, t.status, _when(t.submitted_at), _when(t.published_at), words(t.themes), words(t.warnings),
              t.decision.reason, t.decision.guidance, t.decision.appeal) for t in view.stories],
        ),
        "story-versions.csv": table(
            ("story", "version", "written", "title", "body", "themes", "warnings"),
            [(t.id, v.version, _when(v.written_at), v.title, v.body, words(v.themes), words(v.warnings))
             for t in view.stories for v in t.versions],
        ),
        "replies.csv": table(
            ("reply", "story", "status", "sent", "published", "body", "reason", "guidance", "appeal"),
            [(r.id, r.story_id, r.status, _when(r.submitted_at), _when(r.published_at), r.body, r.decision.reason,
              r.decision.guidance, r.decision.appeal) for r in view.replies],
        ),
        "encouragement-given.csv": table(
            ("story", "kind", "given"), [(e.story_id, e.kind, _when(e.given_at)) for e in view.encouragement]
        ),
        "reports-made.csv": table(
            ("item", "reason", "note", "reported"),
            [(r.item_id, r.reason, r.note, _when(r.reported_at)) for r in view.reports],
        ),
    }  # fmt: skip


async def stories_part(request: Req, member: MemberView) -> Files:
    view = await ask_stories(request, member, x.EXPORT, s.Actor())
    tables = {f"stories/{name}": text.encode() for name, text in stories_tables(view).items()}
    return {"stories/stories.json": as_json(view), **tables}


INBOX_COLUMNS = ("when", "kind", "title", "body", "read", "read_at", "created")  # when: it last changed


def inbox_rows(view: nx.NotificationsExport) -> list[tuple[object, ...]]:
    return [
        (_when(i.updated_at), i.kind, i.title, i.body, i.read, _when(i.read_at), _when(i.created_at))
        for i in view.items
    ]


async def notifications_part(request: Req, member: MemberView) -> Files:
    view = await services_of(request).notifications(nx.EXPORT, nx.ExportRequest(), member)
    return {
        "notifications/notifications.json": as_json(view),
        "notifications/inbox.csv": table(INBOX_COLUMNS, inbox_rows(view)).encode(),
    }


PARTS: tuple[Part, ...] = (journal_part, stories_part, notifications_part)
"""Every part of the download, in its order."""

README = """Everything Small Wins keeps of you, as of {at} (UTC).

journal/journal.json    your journal: every entry with its notes, and observations
journal/entries.csv     your entries, one a row
stories/stories.json    your stories (every version you wrote), replies, the encouragement you gave,
                        the reports you made, moderators' messages to you, your content-warning choices
stories/*.csv           the same, one table a file
notifications/notifications.json
                        your inbox (every item, in the words you were shown), how you chose to hear
                        about each kind of news, quiet hours, the daily e-mail's hour, reminders, and
                        what you muted
notifications/inbox.csv your inbox, one item a row

JSON holds everything; the CSV files open in any spreadsheet. Nothing here names anyone who
reported what you wrote.
"""


async def archive(request: Req, member: MemberView, now: dt.datetime) -> bytes:
    """The zip of every part, asked one after another (a failure fails the download)."""
    files: Files = {"README.txt": README.format(at=now.strftime("%Y-%m-%d %H:%M")).encode()}
    for part in PARTS:
        files |= await part(request, member)
    out = io.BytesIO()
    stamp = (now.year, now.month, now.day, now.hour, now.minute, now.second)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
        for name, data in files.items():
            zipped.writestr(zipfile.ZipInfo(name, date_time=stamp), data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()
