"""A member's own data over ``/api``: everything (each part under its name, as the download holds
it in ``web/exports.py``), or the stories part or the notifications part alone beside the journal's
``/api/journal/export``."""

from __future__ import annotations

from litestar import Controller, get

from shared.contracts import journal as j
from shared.contracts import notifications_export as nx
from shared.contracts import stories as s
from shared.contracts import stories_export as x
from web.api import export_schemas as h
from web.api.journal_schemas import ExportOut, out
from web.api.openapi import READ, SECURED, problems
from web.auth import Req, api_member, services_of
from web.services import acting

MINE = problems(401)  # one's own stories or notifications part: nothing to be refused or not to find


class ExportApi(Controller):
    path = "/api"
    tags = ["export"]  # noqa: RUF012 - Litestar declares it as an instance attribute
    security = SECURED

    @get(
        "/export", summary="Everything Small Wins keeps of you: your journal, your stories part and your notifications",
        responses=READ,
    )  # fmt: skip
    async def everything(self, request: Req) -> h.EverythingOut:
        member = await api_member(request)
        services = services_of(request)
        zone = request.headers.get("x-timezone", "UTC")  # as /api/journal/export reads the journal
        journal = await services.journal(j.EXPORT, j.JournalRequest(), acting(member, zone))
        stories = await services.stories(x.EXPORT, s.Actor(), acting(member))
        notifications = await services.notifications(nx.EXPORT, nx.ExportRequest(), member)
        return h.EverythingOut(
            journal=out(journal, ExportOut), stories=out(stories, h.StoriesExportOut),
            notifications=h.notifications_out(notifications),
        )  # fmt: skip

    @get(
        "/stories/export", summary="Your stories part: stories with every version, replies, encouragement given,"
        " reports made, moderators' messages to you, your content-warning choices", responses=MINE,
    )  # fmt: skip
    async def stories(self, request: Req) -> h.StoriesExportOut:
        member = await api_member(request)
        return out(await services_of(request).stories(x.EXPORT, s.Actor(), acting(member)), h.StoriesExportOut)

    @get(
        "/notifications/export", summary="Your notifications: every inbox item, how you hear about each kind,"
        " quiet hours, the daily e-mail's hour, reminders, what you muted", responses=MINE,
    )  # fmt: skip
    async def notifications(self, request: Req) -> h.NotificationsExportOut:
        member = await api_member(request)
        return h.notifications_out(await services_of(request).notifications(nx.EXPORT, nx.ExportRequest(), member))
