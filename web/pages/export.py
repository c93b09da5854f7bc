"""Export of one's own journal: every entry as JSON (with notes and observations) or as CSV."""

from __future__ import annotations

import csv
import io

import msgspec
from litestar import Controller, Response, get

from shared.contracts import journal as j
from web.auth import Req
from web.pages.calls import ask_journal, signed_in

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_COLUMNS = (
    "day",
    "kind",
    "text",
    "what_helped",
    "mood",
    "themes",
    "written_by",
    "on_behalf",
    "visibility",
    "confirmed",
)


def csv_cell(value: object) -> object:
    """A cell a spreadsheet shows as text, never runs as a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _row(e: j.EntryView) -> list[object]:
    cells = (
        e.occurred_on, e.kind, e.text, e.helped, e.mood or "", " ".join(e.themes), e.author_name, e.on_behalf,
        e.visibility, e.confirmed,
    )  # fmt: skip
    return [csv_cell(cell) for cell in cells]


class ExportPages(Controller):
    path = "/"
    include_in_schema = False

    @get("/journal/export.json")
    async def export_json(self, request: Req) -> Response[bytes]:
        member = await signed_in(request)
        view = await ask_journal(request, member, j.EXPORT, j.JournalRequest())
        return Response(
            msgspec.json.format(msgspec.json.encode(view), indent=2), media_type="application/json",
            headers={"Content-Disposition": 'attachment; filename="small-wins-journal.json"'},
        )  # fmt: skip

    @get("/journal/export.csv")
    async def export_csv(self, request: Req) -> Response[str]:
        member = await signed_in(request)
        view = await ask_journal(request, member, j.EXPORT, j.JournalRequest())
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(_COLUMNS)
        writer.writerows(_row(e) for e in view.entries)
        return Response(
            out.getvalue(), media_type="text/csv",
            headers={"Content-Disposition": 'attachment; filename="small-wins-entries.csv"'},
        )  # fmt: skip
