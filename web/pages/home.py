"""The home page, and the crisis help page that every page links to."""

from __future__ import annotations

from litestar import Controller, get
from litestar.response import Template

from web.auth import Req, page_member, services_of


class HomePages(Controller):
    path = "/"
    include_in_schema = False

    @get("/", name="home")
    async def home(self, request: Req) -> Template:
        member = await page_member(request)
        if member is None:
            return Template("home/landing.html.j2", context={"title": "Small Wins"})
        inbox = await services_of(request).inbox(member.member_id)
        return Template("home/home.html.j2", context={"title": "Home", "member": member, "items": inbox.items})

    @get("/help", name="help")
    async def help_page(self, request: Req) -> Template:
        member = await page_member(request)
        return Template("home/help.html.j2", context={"title": "Help in a crisis", "member": member})
