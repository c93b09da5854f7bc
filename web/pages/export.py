"""Downloads of one's own data: everything as one zip (``web/exports.py``), and the journal alone as
JSON or CSV."""

from __future__ import annotations

import datetime as dt

from litestar import Controller, Response, get

from shared.contracts import journal as j
from web.auth import Req
from web.exports import ENTRY_COLUMNS, archive, as_json, entry_rows, table
from web.pages.calls import ask_journal, signed_in


class ExportPages(Controller):
    path = "/"
    include_in_schema = False

    @get("/export.zip")
    async def everything(self, request: Req) -> Response[bytes]:
        member = await signed_in(request)
        now = dt.datetime.now(dt.UTC)
        return Response(
            await archive(request, member, now), media_type="application/zip",
            headers={"Content-Disposition": f'attachment; filename="small-wins-{now:%Y-%m-%d}.zip"'},
        )  # fmt: skip

    @get("/journal/export.json")
    async def export_json(self, request: Req) -> Response[bytes]:
        member = await signed_in(request)
        view = await ask_journal(request, member, j.EXPORT, j.JournalRequest())
        return Response(
            as_json(view), media_type="application/json",
            headers={"Content-Disposition": 'attachment; filename="small-wins-journal.json"'},
        )  # fmt: skip

    @get("/journal/export.csv")
    async def export_csv(self, request: Req) -> Response[str]:
        member = await signed_in(request)
        view = await ask_journal(request, member, j.EXPORT, j.JournalRequest())
        return Response(
            table(ENTRY_COLUMNS, entry_rows(view)), media_type="text/csv",
            headers={"Content-Disposition": 'attachment; filename="small-wins-entries.csv"'},
        )  # fmt: skip
