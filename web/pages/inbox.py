"""The inbox page: a member's notifications, newest first, a page at a time, with read marks and mutes."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from shared.contracts import notifications as n
from shared.contracts.accounts import MemberView
from shared.errors import Unauthenticated
from web.auth import Req, page_member, services_of

HREFS = {"story": "/stories/{}", "my-stories": "/stories/mine", "journal": "/journal", "supported": "/journals/{}",
         "supporters": "/journal/supporters", "home": "/"}  # fmt: skip


def inbox_href(item: n.InboxItem) -> str:
    """Where an item leads: the story, the member's stories, their journal, a journal they support..."""
    return HREFS.get(item.about, "/").format(item.about_id)


async def _member(request: Req) -> MemberView:
    member = await page_member(request)
    if member is None:
        raise Unauthenticated("Please sign in to see your inbox.")
    return member


class InboxPages(Controller):
    path = "/inbox"
    include_in_schema = False

    @get("/", name="inbox")
    async def page(self, request: Req, cursor: FromQuery[n.Cursor] = "") -> Template:
        member = await _member(request)
        view = await services_of(request).inbox(member, cursor=cursor)
        context = {"title": "Inbox", "member": member, "view": view, "href": inbox_href, "cursor": cursor}
        return Template("inbox/inbox.html.j2", context=context)

    @post("/read-all")
    async def read_all(self, request: Req) -> Redirect:
        member = await _member(request)
        await services_of(request).notifications(n.MARK_ALL_READ, n.ReadAllRequest(), member)
        return Redirect("/inbox")

    @post("/{notification_id:uuid}/read")
    async def read(self, request: Req, notification_id: FromPath[UUID]) -> Redirect:
        member = await _member(request)
        await services_of(request).notifications(n.MARK_READ, n.ReadRequest(notification_id=notification_id), member)
        return Redirect("/inbox")

    @post("/{kind:str}/{target_id:uuid}/{change:str}")
    async def mute(
        self, request: Req, kind: FromPath[n.TargetKind], target_id: FromPath[UUID], change: FromPath[str]
    ) -> Redirect:
        member = await _member(request)
        verb = n.UNMUTE if change == "unmute" else n.MUTE
        await services_of(request).notifications(verb, n.MuteRequest(target_kind=kind, target_id=target_id), member)
        return Redirect("/inbox")
