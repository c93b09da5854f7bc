"""The home page, and the crisis help page that every page links to."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from litestar import Controller, get
from litestar.response import Template

from shared.contracts import journal as j
from shared.contracts import notifications as notif
from shared.contracts import stories as st
from web.auth import Req, page_member, services_of
from web.pages.journal import page_notices
from web.pages.supporters import supported_stage
from web.services import acting


def for_you(items: Sequence[notif.InboxItem], has_entries: bool) -> list[notif.InboxItem]:
    """The notes the home page shows. The welcome note invites a first small win, so it steps
    aside once the member has recorded something: they are past it."""
    return [item for item in items if not (has_entries and item.kind == "welcome")]


class HomePages(Controller):
    path = "/"
    include_in_schema = False

    @get("/", name="home")
    async def home(self, request: Req) -> Template:
        """What to do next: record a win, answer an invitation or a handover step, confirm entries,
        decide on observations; then the notes addressed to the person."""
        member = await page_member(request)
        if member is None:
            return Template("home/landing.html.j2", context={"title": "Small Wins"})
        services = services_of(request)
        inbox, steps, messages = await asyncio.gather(
            services.inbox(member),
            services.journal(j.NEXT_STEPS, j.Actor(), acting(member)),
            services.stories(st.MESSAGES, st.Actor(), acting(member)),
        )
        context = {
            "title": "Home", "member": member, "items": for_you(inbox.items, steps.has_entries), "steps": steps,
            "messages": messages.items,
            "supported_stage": supported_stage, **page_notices(request),
        }  # fmt: skip
        return Template("home/home.html.j2", context=context)

    @get("/help", name="help")
    async def help_page(self, request: Req) -> Template:
        member = await page_member(request)
        return Template("home/help.html.j2", context={"title": "Help in a crisis", "member": member})
