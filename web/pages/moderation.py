"""Moderation pages (moderators only): the queue with urgent items first, the report queue, one
item with its actions, the audit of every moderation action, the messages moderators send a writer
who may be at risk, and the guidance for crisis items."""

from __future__ import annotations

from typing import Any, Literal
from uuid import UUID, uuid4

from litestar import Controller, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from shared.contracts import moderation as mc
from shared.contracts import stories as s
from shared.contracts.accounts import MemberView
from shared.errors import Invalid
from web.auth import Req
from web.forms import form_errors, form_of, optional_text, text, uuid_of
from web.pages.calls import ask_stories, signed_in
from web.pages.stories import BASE, STATUS_WORDS, Query
from web.queue import REVIEW_WORDS, age

PAGE_WORDS = {**BASE, "status_words": STATUS_WORDS, "review_words": REVIEW_WORDS, "age": age}
DONE = {
    "claim": "Claimed. Nobody else can act on it until you decide or release it.",
    "release": "Released. Another moderator can take it now.",
    "reach_out": "Your message is on its way. Only the writer sees it, on their home page.",
    "hold": "Held back. It stays out of the feed; the writer is not told it was rejected.",
    "template": "Saved. The next message sent from it uses the new words.",
}


def _page(name: str, title: str, status: int = 200, **context: object) -> Template:
    return Template(f"moderation/{name}.html.j2", context={**PAGE_WORDS, "title": title, **context}, status_code=status)


async def _item_page(request: Req, member: MemberView, item_id: UUID, status: int = 200, **context: Any) -> Template:
    item = await ask_stories(request, member, mc.ITEM, s.ItemRequest(item_id=item_id))
    templates = (await ask_stories(request, member, mc.TEMPLATES, s.Actor())).items if item.urgent else ()
    done = DONE.get(request.query_params.get("done", ""))
    context = {"form": {}, **context}
    return _page("item", "Review", status, member=member, item=item, templates=templates, done=done, **context)


class ModerationPages(Controller):
    path = "/moderation"
    include_in_schema = False

    @get("/")
    async def queue(self, request: Req, only: FromQuery[Literal["", "reports"]] = "", cursor: Query = "") -> Template:
        member = await signed_in(request)
        view = await ask_stories(request, member, mc.QUEUE, mc.QueueRequest(only=only, cursor=cursor))
        title = "Reports" if only else "Moderation queue"
        return _page(
            "queue", title, member=member, view=view, only=only, cursor=cursor,
            done=request.query_params.get("done"),
        )  # fmt: skip

    @get("/audit")
    async def audit(self, request: Req, before: FromQuery[int | None] = None) -> Template:
        member = await signed_in(request)
        view = await ask_stories(request, member, mc.AUDIT, mc.AuditRequest(before=before))
        return _page("audit", "Moderation audit", member=member, view=view)

    @get("/crisis-guidance")
    async def guidance(self, request: Req) -> Template:
        member = await signed_in(request)
        await ask_stories(request, member, mc.TEMPLATES, s.Actor())  # moderators only
        return _page("guidance", "Crisis items: what to do", member=member)

    @get("/items/{item_id:uuid}")
    async def item(self, request: Req, item_id: FromPath[UUID]) -> Template:
        return await _item_page(request, await signed_in(request), item_id)

    @post("/items/{item_id:uuid}/{action:str}")
    async def act(self, request: Req, item_id: FromPath[UUID], action: FromPath[str]) -> Template | Redirect:
        """claim | release | hold: an action without a form of its own."""
        member = await signed_in(request)
        verbs = {"claim": mc.CLAIM, "release": mc.RELEASE, "hold": mc.HOLD}
        if action not in verbs:
            return await self._with_form(request, member, item_id, action)
        await ask_stories(request, member, verbs[action], s.ItemRequest(item_id=item_id))
        return Redirect(f"/moderation/items/{item_id}?done={action}")

    async def _with_form(self, request: Req, member: MemberView, item_id: UUID, action: str) -> Template | Redirect:
        form = await form_of(request)
        values = {k: text(form, k) for k in ("action", "reason", "guidance", "note", "template_id", "personal")}
        try:
            if action == "decide":
                decision = mc.ModerateRequest(
                    item_id=item_id, action=values["action"], reason=values["reason"], guidance=values["guidance"]
                )
                await ask_stories(request, member, mc.MODERATE, decision)
                return Redirect(f"/moderation?done={values['action']}")
            if action == "appeal":
                upheld = form.get("upheld") == "yes"
                appeal = mc.DecideAppealRequest(item_id=item_id, upheld=upheld, note=values["note"])
                await ask_stories(request, member, mc.DECIDE_APPEAL, appeal)
                return Redirect("/moderation?done=appeal")
            if action == "reach-out":
                message = mc.ReachOutRequest(
                    item_id=item_id, template_id=uuid_of(values["template_id"] or None, "template_id"),
                    personal=values["personal"], idempotency_key=optional_text(form, "idempotency_key"),
                )  # fmt: skip
                await ask_stories(request, member, mc.REACH_OUT, message)
                return Redirect(f"/moderation/items/{item_id}?done=reach_out")
        except Invalid as exc:  # the item stays in front of the moderator, with what they typed
            return await _item_page(request, member, item_id, 422, **{**form_errors(exc), "form": values})
        return await _item_page(request, member, item_id, 404)

    @get("/templates")
    async def templates(self, request: Req) -> Template:
        member = await signed_in(request)
        view = await ask_stories(request, member, mc.TEMPLATES, s.Actor())
        done = DONE.get(request.query_params.get("done", ""))
        return _page(
            "templates", "Messages to writers at risk", member=member, view=view, done=done, forms={}, new_id=uuid4()
        )

    @post("/templates/{template_id:uuid}")
    async def save_template(self, request: Req, template_id: FromPath[UUID]) -> Template | Redirect:
        member, form = await signed_in(request), await form_of(request)
        name, body = text(form, "name"), text(form, "body")
        try:
            req = mc.TemplateRequest(template_id=template_id, name=name, body=body)
            await ask_stories(request, member, mc.SAVE_TEMPLATE, req)
        except Invalid as exc:
            view = await ask_stories(request, member, mc.TEMPLATES, s.Actor())
            return _page(
                "templates", "Messages to writers at risk", 422, member=member, view=view, done=None,
                forms={template_id: {"name": name, "body": body, **form_errors(exc)}}, new_id=template_id,
            )  # fmt: skip
        return Redirect("/moderation/templates?done=template")
