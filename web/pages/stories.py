"""Story pages: the feed, a story with its replies, writing and revising, one's own submissions,
encouragement, reports, appeals, reading preferences, and the public Atom feed."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from litestar import Controller, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_409_CONFLICT

from shared.contracts import journal as j
from shared.contracts import stories as s
from shared.contracts.accounts import MemberView
from shared.errors import Conflict, Invalid, NotFound
from shared.settings import Settings
from web.api.limits import FeedQuery
from web.auth import Req, services_of
from web.forms import form_errors, form_of, number, optional_date, optional_text, optional_uuid, text, texts, uuids
from web.pages.calls import ask_journal, ask_stories, reader, signed_in

BASE = {"themes": s.THEMES, "warnings": s.WARNINGS, "cheers": s.CHEERS, "reasons": s.REASONS, "reports": s.REPORTS}
STATUS_WORDS = {
    "pending": "Waiting for review",
    "changes_requested": "Changes requested",
    "published": "Published",
    "rejected": "Not approved",
    "removed": "Removed",
    "withdrawn": "Withdrawn",
    "held": "Held back for now",
}
Query = FeedQuery
NOT_SENT = "Your reply wasn't sent; what you wrote is below."


def settings_of(request: Req) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _story_fields(form: Any) -> dict[str, Any]:
    """What was typed in a story's form, to show it again."""
    return {
        "title": form.get("title", ""), "body": form.get("body", ""),
        "themes": list(form.getall("themes", [])), "warnings": list(form.getall("warnings", [])),
    }  # fmt: skip


def _story(form: Any) -> s.StoryFields:
    """The story a story's form describes (the service checks its limits and names the field)."""
    return s.StoryFields(
        title=text(form, "title"), body=text(form, "body"), themes=texts(form, "themes"),
        warnings=texts(form, "warnings"),
    )  # fmt: skip


def _page(name: str, member: MemberView | None, title: str, status: int = 200, **context: Any) -> Template:
    return Template(
        f"stories/{name}.html.j2",
        context={**BASE, "status_words": STATUS_WORDS, "member": member, "title": title, **context},
        status_code=status,
    )


def _after_posting(path: str, posted: s.Posted) -> Redirect:
    query = f"posted={posted.status}" + ("&crisis=1" if posted.crisis else "")
    if not posted.crisis:  # never a content warning in the same breath as the helplines; it waits for a revision
        query += "".join(f"&suggest={w}" for w in posted.suggested_warnings)
    return Redirect(f"{path}?{query}")


class StoryPages(Controller):
    path = "/stories"
    include_in_schema = False

    @get("/", name="feed")
    async def feed(self, request: Req, theme: Query = "", cursor: Query = "") -> Template:
        member = await reader(request)
        view = await services_of(request).feed(member, theme, cursor)
        return _page("feed", member, "Stories", view=view, theme=theme)

    @get("/new")
    async def new(self, request: Req) -> Template:
        member = await signed_in(request)
        draft = await self._draft(request, member)
        return _page("write", member, "Share a story", form=draft, action="/stories")

    async def _draft(self, request: Req, member: MemberView) -> dict[str, Any]:
        """A draft composed by the journal from the author's own entries, when they asked for one."""
        q = request.query_params
        entries, since, until = q.getall("entry", []), q.get("from"), q.get("to")
        if not (entries or since or until):
            return {}
        req = j.DraftRequest(
            entry_ids=uuids(entries[:50], "entry_ids"), since=optional_date(since, "since"),
            until=optional_date(until, "until"),
        )  # fmt: skip
        draft = await ask_journal(request, member, j.DRAFT_STORY, req)
        return {"title": draft.title, "body": draft.body, "themes": list(draft.themes), "note": draft.note}

    @post("/")
    async def submit(self, request: Req) -> Template | Redirect:
        member, form = await signed_in(request), await form_of(request)
        fields = _story_fields(form)
        try:
            req = s.SubmitRequest(story=_story(form), idempotency_key=optional_text(form, "idempotency_key"))
            posted = await ask_stories(request, member, s.SUBMIT, req)
        except Invalid as exc:
            return _page("write", member, "Share a story", 422, form=fields, action="/stories", **form_errors(exc))
        return _after_posting("/stories/mine", posted)

    @get("/mine")
    async def mine(self, request: Req) -> Template:
        member = await signed_in(request)
        view = await ask_stories(request, member, s.MINE, s.Actor())
        q = request.query_params
        return _page(
            "mine", member, "Your stories and replies", view=view, posted=q.get("posted"),
            crisis=q.get("crisis") == "1", suggested=[w for w in q.getall("suggest", []) if w in s.WARNINGS],
        )  # fmt: skip

    @get("/{story_id:uuid}")
    async def story(self, request: Req, story_id: FromPath[UUID]) -> Template:
        """The story and its replies; ``?reply_to=<reply id>`` sets the form to answer that reply."""
        member = await reader(request)
        view = await ask_stories(request, member, s.STORY, s.StoryRequest(story_id=story_id))
        q = request.query_params
        sent, taken = q.get("sent", ""), q.get("taken", "")
        return _page(
            "story", member, view.title, story=view, posted=q.get("posted"), crisis=q.get("crisis") == "1",
            done=q.get("done", ""), sent=s.CHEERS.get(sent, ""), taken=s.CHEERS.get(taken, ""),
            answering=_answering(view, q.get("reply_to")),
        )  # fmt: skip

    @get("/{story_id:uuid}/edit")
    async def edit_form(self, request: Req, story_id: FromPath[UUID]) -> Template:
        member = await signed_in(request)
        view = await ask_stories(request, member, s.STORY, s.StoryRequest(story_id=story_id))
        form = {
            "title": view.title, "body": view.body, "themes": view.themes, "warnings": view.warnings,
            "version": view.version,
        }  # fmt: skip
        return _page("write", member, "Change your story", form=form, action=f"/stories/{story_id}/edit", story=view)

    @post("/{story_id:uuid}/edit")
    async def revise(self, request: Req, story_id: FromPath[UUID]) -> Template | Redirect:
        """A revision names the version its author opened; if the story changed since, the page says
        so (409), keeps what they wrote and carries the version now current."""
        member, form = await signed_in(request), await form_of(request)
        fields, version = _story_fields(form), form.get("version") or "0"  # a number; anything else is a 422
        action = f"/stories/{story_id}/edit"
        try:
            expected = number(version, "expected_version")
            req = s.ReviseRequest(story_id=story_id, expected_version=expected, story=_story(form))
            posted = await ask_stories(request, member, s.REVISE, req)
        except Invalid as exc:
            kept = {**fields, "version": version}
            return _page("write", member, "Change your story", 422, form=kept, action=action, **form_errors(exc))
        except Conflict as exc:
            view = await ask_stories(request, member, s.STORY, s.StoryRequest(story_id=story_id))
            current = {**fields, "version": view.version}
            return _page(
                "write", member, "Change your story", 409, form=current, action=action, story=view, error=exc.message
            )
        return _after_posting("/stories/mine", posted)

    @post("/{story_id:uuid}/replies")
    async def reply(self, request: Req, story_id: FromPath[UUID]) -> Template | Redirect:
        """A reply to the story, or (``in_reply_to``) to a reply on it. Refused, the page comes back
        with what was typed; if the reply being answered went away meanwhile, it says so."""
        member, form = await signed_in(request), await form_of(request)
        parent = form.get("in_reply_to") or None
        try:
            req = s.ReplyRequest(
                story_id=story_id, body=text(form, "body"), idempotency_key=optional_text(form, "idempotency_key"),
                in_reply_to=optional_uuid(parent, "in_reply_to"),
            )  # fmt: skip
            posted = await ask_stories(request, member, s.REPLY, req)
        except Invalid as exc:
            return await self._refused(request, member, story_id, form, parent, 422, form_errors(exc))
        except (NotFound, Conflict) as exc:
            if parent is None:
                raise
            gone = {"error": f"{exc.message} {NOT_SENT}"}
            return await self._refused(request, member, story_id, form, None, HTTP_409_CONFLICT, gone)
        return _after_posting(f"/stories/{story_id}", posted)

    async def _refused(
        self, request: Req, member: MemberView, story_id: UUID, form: Any, parent: str | None, status: int,
        errors: dict[str, Any],
    ) -> Template:  # fmt: skip
        view = await ask_stories(request, member, s.STORY, s.StoryRequest(story_id=story_id))
        return _page(
            "story", member, view.title, status, story=view, reply=form.get("body", ""),
            answering=_answering(view, parent), **errors,
        )  # fmt: skip

    @post("/{story_id:uuid}/encouragement")
    async def encourage(self, request: Req, story_id: FromPath[UUID]) -> Redirect:
        member, form = await signed_in(request), await form_of(request)
        verb, kind = (s.TAKE_BACK if form.get("undo") else s.ENCOURAGE), text(form, "kind")
        await ask_stories(request, member, verb, s.EncourageRequest(story_id=story_id, kind=kind))
        said = "taken" if verb is s.TAKE_BACK else "sent"
        return Redirect(f"/stories/{story_id}?{said}={kind}#encourage")

    @post("/items/{item_id:uuid}/{action:str}")
    async def item_action(self, request: Req, item_id: FromPath[UUID], action: FromPath[str]) -> Redirect:
        member, form = await signed_in(request), await form_of(request)
        back = f"/stories/{form.get('story_id')}" if _uuid(form.get("story_id")) else "/stories/mine"
        once = optional_text(form, "idempotency_key")
        if action == "report":  # the thank-you stands on its own: the item may be hidden by this very report
            reason = text(form, "reason")
            report = s.ReportRequest(item_id=item_id, reason=reason, note=text(form, "note"), idempotency_key=once)
            reported = await ask_stories(request, member, s.REPORT, report)
            said = [q for q, yes in (("risk=1", reason == "at-risk"), ("crisis=1", reported.crisis)) if yes]
            return Redirect("/stories/reported" + (f"?{'&'.join(said)}" if said else ""))
        if action == "withdraw":
            await ask_stories(request, member, s.WITHDRAW, s.ItemRequest(item_id=item_id))
            back = "/stories/mine"
        elif action == "appeal":
            appeal = s.AppealRequest(item_id=item_id, statement=text(form, "statement"), idempotency_key=once)
            await ask_stories(request, member, s.APPEAL, appeal)
            back = "/stories/mine"
        elif action == "hide":
            await ask_stories(request, member, s.HIDE_REPLY, s.ItemRequest(item_id=item_id))
        else:
            raise NotFoundException()
        return Redirect(f"{back}?done={action}")

    @get("/reported")
    async def reported(self, request: Req) -> Template:
        member = await signed_in(request)
        q = request.query_params
        return _page("reported", member, "Thank you", risk=q.get("risk") == "1", crisis=q.get("crisis") == "1")

    @get("/settings")
    async def preferences(self, request: Req) -> Template:
        member = await signed_in(request)
        prefs = await ask_stories(request, member, s.PREFERENCES, s.Actor())
        return _page(
            "settings", member, "Content warnings", prefs=prefs, saved=request.query_params.get("saved") == "1"
        )

    @post("/settings")
    async def set_preferences(self, request: Req) -> Redirect:
        member, form = await signed_in(request), await form_of(request)
        choices = {w: form.get(f"w-{w}", "show") for w in s.WARNINGS}
        hide = tuple(w for w, c in choices.items() if c == "hide")
        blur = tuple(w for w, c in choices.items() if c == "blur")
        await ask_stories(request, member, s.SET_PREFERENCES, s.PreferencesRequest(hide=hide, blur=blur))
        return Redirect("/stories/settings?saved=1")

    @get("/feed.atom", media_type="application/atom+xml")
    async def atom(self, request: Req) -> Response[bytes]:
        settings = settings_of(request)
        if not settings.stories_public:
            raise NotFoundException("The public feed is not open on this Small Wins.")
        view = await ask_stories(request, None, s.FEED, s.FeedRequest(limit=50))
        updated = view.items[0].published_at if view.items else dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
        engine = request.app.template_engine
        if engine is None:  # pragma: no cover - the app always has one
            raise RuntimeError("templates are not configured")
        body = engine.get_template("stories/feed.atom.j2").render(
            stories=view.items, base=settings.url, updated=updated, warnings=s.WARNINGS
        )
        return Response(body.encode(), media_type="application/atom+xml; charset=utf-8")


def _answering(story: s.StoryView, reply_id: str | None) -> s.ReplyView | None:
    """The reply the form answers, when the page names one this reader may answer."""
    return next((r for r in story.replies if str(r.id) == reply_id and r.can_answer), None)


def _uuid(value: object) -> bool:
    try:
        UUID(str(value))
    except ValueError:
        return False
    return True
