"""A member's own data over ``/api``: everything (each part under its name, as the download holds
it in ``web/exports.py``), or the stories part or the notifications part alone beside the journal's
``/api/journal/export``."""

from __future__ import annotations

from litestar import Controller, get

from shared.contracts import journal as j
from shared.contracts import notifications_export as nx
from shared.contracts import stories as s
from shared.contracts import stories_export as x
from shared.contracts.accounts import MemberView
from web.api import export_schemas as h
from web.api.journal import api_ask_journal
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
        journal = await api_ask_journal(request, member, j.EXPORT, j.JournalRequest())  # as /api/journal/export
        return h.EverythingOut(
            journal=out(journal, ExportOut), stories=await _stories(request, member),
            notifications=await _notifications(request, member),
        )  # fmt: skip

    @get(
        "/stories/export", summary="Your stories part: stories with every version, replies, encouragement given,"
        " reports made, moderators' messages to you, your content-warning choices", responses=MINE,
    )  # fmt: skip
    async def stories(self, request: Req) -> h.StoriesExportOut:
        return await _stories(request, await api_member(request))

    @get(
        "/notifications/export", summary="Your notifications: every inbox item, how you hear about each kind,"
        " quiet hours, the daily e-mail's hour, reminders, what you muted", responses=MINE,
    )  # fmt: skip
    async def notifications(self, request: Req) -> h.NotificationsExportOut:
        return await _notifications(request, await api_member(request))


async def _stories(request: Req, member: MemberView) -> h.StoriesExportOut:
    return out(await services_of(request).stories(x.EXPORT, s.Actor(), acting(member)), h.StoriesExportOut)


async def _notifications(request: Req, member: MemberView) -> h.NotificationsExportOut:
    return h.notifications_out(await services_of(request).notifications(nx.EXPORT, nx.ExportRequest(), member))
