"""A member's own data over ``/api``: everything (each part under its name, as the download holds
it in ``web/exports.py``), or the stories part alone beside the journal's ``/api/journal/export``."""

from __future__ import annotations

from litestar import Controller, get

from shared.contracts import journal as j
from shared.contracts import stories as s
from shared.contracts import stories_export as x
from web.api import export_schemas as h
from web.api.journal_schemas import ExportOut, out
from web.api.openapi import READ, SECURED, problems
from web.auth import Req, api_member, services_of
from web.services import acting

MINE = problems(401)  # one's own stories part: nothing to be refused or not to find


class ExportApi(Controller):
    path = "/api"
    tags = ["export"]  # noqa: RUF012 - Litestar declares it as an instance attribute
    security = SECURED

    @get("/export", summary="Everything Small Wins keeps of you: your journal and your stories part", responses=READ)
    async def everything(self, request: Req) -> h.EverythingOut:
        member = await api_member(request)
        services = services_of(request)
        zone = request.headers.get("x-timezone", "UTC")  # as /api/journal/export reads the journal
        journal = await services.journal(j.EXPORT, j.JournalRequest(), acting(member, zone))
        stories = await services.stories(x.EXPORT, s.Actor(), acting(member))
        return h.EverythingOut(journal=out(journal, ExportOut), stories=out(stories, h.StoriesExportOut))

    @get(
        "/stories/export", summary="Your stories part: stories with every version, replies, encouragement given,"
        " reports made, moderators' messages to you, your content-warning choices", responses=MINE,
    )  # fmt: skip
    async def stories(self, request: Req) -> h.StoriesExportOut:
        member = await api_member(request)
        return out(await services_of(request).stories(x.EXPORT, s.Actor(), acting(member)), h.StoriesExportOut)
