"""Moderation pages (moderators only): the queue with urgent items first, the report queue, one
item with its actions, and the audit of every moderation action."""

from __future__ import annotations

from typing import Literal
from uuid import UUID

from litestar import Controller, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from shared.contracts import stories as s
from web.auth import Req
from web.forms import form_of
from web.pages.stories import BASE, STATUS_WORDS, Query, call, signed_in
from web.queue import REVIEW_WORDS, age

PAGE_WORDS = {**BASE, "status_words": STATUS_WORDS, "review_words": REVIEW_WORDS, "age": age}


def _page(name: str, title: str, **context: object) -> Template:
    return Template(f"moderation/{name}.html.j2", context={**PAGE_WORDS, "title": title, **context})


class ModerationPages(Controller):
    path = "/moderation"
    include_in_schema = False

    @get("/")
    async def queue(self, request: Req, only: FromQuery[Literal["", "reports"]] = "", cursor: Query = "") -> Template:
        member = await signed_in(request)
        view = await call(request, member, "queue", s.QueueRequest, s.QueueView, only=only, cursor=cursor)
        title = "Reports" if only else "Moderation queue"
        return _page(
            "queue", title, member=member, view=view, only=only, cursor=cursor,
            done=request.query_params.get("done"),
        )  # fmt: skip

    @get("/audit")
    async def audit(self, request: Req, before: FromQuery[int | None] = None) -> Template:
        member = await signed_in(request)
        view = await call(request, member, "audit", s.AuditRequest, s.AuditView, before=before)
        return _page("audit", "Moderation audit", member=member, view=view)

    @get("/items/{item_id:uuid}")
    async def item(self, request: Req, item_id: FromPath[UUID]) -> Template:
        member = await signed_in(request)
        item = await call(request, member, "item", s.ItemRequest, s.QueueItem, item_id=item_id)
        return _page("item", "Review", member=member, item=item)

    @post("/items/{item_id:uuid}/claim")
    async def claim(self, request: Req, item_id: FromPath[UUID]) -> Redirect:
        member = await signed_in(request)
        await call(request, member, "claim", s.ItemRequest, s.Done, item_id=item_id)
        return Redirect(f"/moderation/items/{item_id}")

    @post("/items/{item_id:uuid}/decide")
    async def decide(self, request: Req, item_id: FromPath[UUID]) -> Redirect:
        member, form = await signed_in(request), await form_of(request)
        await call(
            request, member, "moderate", s.ModerateRequest, s.Done, item_id=item_id, action=form.get("action", ""),
            reason=form.get("reason", ""), guidance=form.get("guidance", ""),
        )  # fmt: skip
        return Redirect(f"/moderation?done={form.get('action', '')}")

    @post("/items/{item_id:uuid}/appeal")
    async def appeal(self, request: Req, item_id: FromPath[UUID]) -> Redirect:
        member, form = await signed_in(request), await form_of(request)
        await call(
            request, member, "decide_appeal", s.DecideAppealRequest, s.Done, item_id=item_id,
            upheld=form.get("upheld") == "yes", note=form.get("note", ""),
        )  # fmt: skip
        return Redirect("/moderation?done=appeal")
