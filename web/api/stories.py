"""JSON API of the peer feed and of moderation: the same actions as the pages."""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

from litestar import Controller, delete, get, post, put
from litestar.params import FromPath, FromQuery, JSONBody, Parameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_204_NO_CONTENT

from shared.contracts import moderation as mc
from shared.contracts import stories as s
from shared.contracts.common import PLAIN_TEXT
from shared.contracts.verbs import A, Q, Verb
from web.api import stories_schemas as h
from web.api.journal_schemas import out
from web.api.limits import IdempotencyKey
from web.api.openapi import ACT, BEARER, READ, SECURED, WRITE, problems
from web.auth import Req, api_member, services_of
from web.services import acting

Cursor = Annotated[
    str, Parameter(max_length=s.CURSOR_MAX, pattern=PLAIN_TEXT, description="next_cursor of the previous page")
]
OPTIONAL: list[dict[str, list[str]]] = [{}, {BEARER: []}]  # signed in, or anonymous where the operator opened the feed
PUBLIC_READ = problems(401, 404)


async def _call(request: Req, verb: Verb[Q, A], req: Q) -> A:
    member = await api_member(request)
    return await services_of(request).stories(verb, req, acting(member))


async def _read(request: Req, verb: Verb[Q, A], req: Q) -> A:
    """A read that a visitor without a token may make when the operator opened the feed (the stories
    service decides, and answers 401 otherwise)."""
    if request.headers.get("authorization"):
        return await _call(request, verb, req)
    return await services_of(request).stories(verb, req, None)


def _story(body: h.StoryBody) -> s.StoryFields:
    return s.StoryFields(title=body.title, body=body.body, themes=tuple(body.themes), warnings=tuple(body.warnings))


class StoriesApi(Controller):
    path = "/api/stories"
    tags = ["stories"]  # noqa: RUF012 - Litestar declares it as an instance attribute
    security = SECURED

    @get("/", summary="Published stories, newest first (by cursor)", responses=PUBLIC_READ, security=OPTIONAL)
    async def feed(
        self,
        request: Req,
        theme: FromQuery[h.Theme | Literal[""]] = "",
        cursor: Cursor = "",
    ) -> h.FeedOut:
        member = await api_member(request) if request.headers.get("authorization") else None
        return out(await services_of(request).feed(member, theme, cursor), h.FeedOut)

    @post("/", status_code=HTTP_201_CREATED, summary="Send a story for review", responses=WRITE)
    async def submit(self, request: Req, data: JSONBody[h.NewStoryBody], key: IdempotencyKey = None) -> h.PostedOut:
        req = s.SubmitRequest(
            story=_story(data), story_id=data.id, idempotency_key=key or (f"story:{data.id}" if data.id else None)
        )
        posted = await _call(request, s.SUBMIT, req)
        return out(posted, h.PostedOut)

    @get("/mine", summary="Your stories and replies, with their status and every reason", responses=READ)
    async def mine(self, request: Req) -> h.MineOut:
        return out(await _call(request, s.MINE, s.Actor()), h.MineOut)

    @get(
        "/{story_id:uuid}", summary="A story with its replies (oldest first; an answer follows the reply it leads"
        " back to)", responses=PUBLIC_READ, security=OPTIONAL,
    )  # fmt: skip
    async def story(self, request: Req, story_id: FromPath[UUID]) -> h.StoryOut:
        return out(await _read(request, s.STORY, s.StoryRequest(story_id=story_id)), h.StoryOut)

    @put(
        "/{story_id:uuid}", summary="Change your story while it waits for review or for your changes (send the"
        " version you saw; 409 when it changed since)", responses=WRITE,
    )  # fmt: skip
    async def revise(self, request: Req, story_id: FromPath[UUID], data: JSONBody[h.RevisionBody]) -> h.PostedOut:
        req = s.ReviseRequest(story_id=story_id, expected_version=data.version, story=_story(data))
        posted = await _call(request, s.REVISE, req)
        return out(posted, h.PostedOut)

    @post(
        "/{story_id:uuid}/replies", status_code=HTTP_201_CREATED,
        summary="Reply to a story, or to a reply on it (in_reply_to)", responses=WRITE,
    )  # fmt: skip
    async def reply(
        self, request: Req, story_id: FromPath[UUID], data: JSONBody[h.ReplyBody], key: IdempotencyKey = None
    ) -> h.PostedOut:
        req = s.ReplyRequest(
            story_id=story_id, body=data.body, reply_id=data.id, in_reply_to=data.in_reply_to,
            idempotency_key=key or (f"reply:{data.id}" if data.id else None),
        )  # fmt: skip
        posted = await _call(request, s.REPLY, req)
        return out(posted, h.PostedOut)

    @post("/{story_id:uuid}/encouragement", status_code=HTTP_201_CREATED, summary="Encourage a story", responses=WRITE)
    async def encourage(self, request: Req, story_id: FromPath[UUID], data: JSONBody[h.CheerBody]) -> h.DoneOut:
        done = await _call(request, s.ENCOURAGE, s.EncourageRequest(story_id=story_id, kind=data.kind))
        return out(done, h.DoneOut)

    @delete(
        "/{story_id:uuid}/encouragement/{kind:str}", status_code=HTTP_204_NO_CONTENT,
        summary="Take back encouragement you sent", responses=ACT,
    )  # fmt: skip
    async def take_back(self, request: Req, story_id: FromPath[UUID], kind: FromPath[h.Cheer]) -> None:
        await _call(request, s.TAKE_BACK, s.EncourageRequest(story_id=story_id, kind=kind))

    @get("/messages", summary="Private messages moderators sent you about what you wrote", responses=READ)
    async def messages(self, request: Req) -> h.MessagesOut:
        return out(await _call(request, s.MESSAGES, s.Actor()), h.MessagesOut)

    @get("/preferences", summary="Content warnings you hide or blur", responses=READ)
    async def preferences(self, request: Req) -> h.PreferencesOut:
        return out(await _call(request, s.PREFERENCES, s.Actor()), h.PreferencesOut)

    @put("/preferences", summary="Choose content warnings to hide or blur, everywhere", responses=WRITE)
    async def set_preferences(self, request: Req, data: JSONBody[h.PreferencesBody]) -> h.PreferencesOut:
        req = s.PreferencesRequest(hide=tuple(data.hide), blur=tuple(data.blur))
        view = await _call(request, s.SET_PREFERENCES, req)
        return out(view, h.PreferencesOut)


class PostsApi(Controller):
    """What a reader or author does to one story or reply."""

    path = "/api/posts"
    tags = ["stories"]  # noqa: RUF012 - Litestar declares it as an instance attribute
    security = SECURED

    @post("/{item_id:uuid}/reports", status_code=HTTP_201_CREATED, summary="Report a story or reply", responses=WRITE)
    async def report(
        self, request: Req, item_id: FromPath[UUID], data: JSONBody[h.ReportBody], key: IdempotencyKey = None
    ) -> h.ReportedOut:
        req = s.ReportRequest(item_id=item_id, reason=data.reason, note=data.note, idempotency_key=key)
        reported = await _call(request, s.REPORT, req)
        return out(reported, h.ReportedOut)

    @post("/{item_id:uuid}/withdraw", status_code=HTTP_200_OK, summary="Withdraw your story or reply", responses=ACT)
    async def withdraw(self, request: Req, item_id: FromPath[UUID]) -> h.DoneOut:
        return out(await _call(request, s.WITHDRAW, s.ItemRequest(item_id=item_id)), h.DoneOut)

    @post("/{item_id:uuid}/appeal", status_code=HTTP_201_CREATED, summary="Appeal a removal or rejection, once", responses=WRITE)  # fmt: skip
    async def appeal(
        self, request: Req, item_id: FromPath[UUID], data: JSONBody[h.AppealBody], key: IdempotencyKey = None
    ) -> h.DoneOut:
        req = s.AppealRequest(item_id=item_id, statement=data.statement, idempotency_key=key)
        done = await _call(request, s.APPEAL, req)
        return out(done, h.DoneOut)

    @post("/{item_id:uuid}/hide", status_code=HTTP_200_OK, summary="Hide a reply on your own story", responses=ACT)
    async def hide(self, request: Req, item_id: FromPath[UUID]) -> h.DoneOut:
        return out(await _call(request, s.HIDE_REPLY, s.ItemRequest(item_id=item_id)), h.DoneOut)


class ModerationApi(Controller):
    """Moderators only."""

    path = "/api/moderation"
    tags = ["moderation"]  # noqa: RUF012 - Litestar declares it as an instance attribute
    security = SECURED

    @get("/queue", summary="Items waiting: urgent first, then oldest first", responses=READ)
    async def queue(
        self, request: Req, only: FromQuery[Literal["", "reports"]] = "", cursor: Cursor = ""
    ) -> h.QueueOut:
        view = await _call(request, mc.QUEUE, mc.QueueRequest(only=only, cursor=cursor))
        return out(view, h.QueueOut)

    @get("/items/{item_id:uuid}", summary="One story or reply, as a moderator sees it", responses=READ)
    async def item(self, request: Req, item_id: FromPath[UUID]) -> h.QueueItemOut:
        return out(await _call(request, mc.ITEM, s.ItemRequest(item_id=item_id)), h.QueueItemOut)

    @post(
        "/items/{item_id:uuid}/claim",
        status_code=HTTP_200_OK,
        summary="Claim an item so no one else works on it",
        responses=ACT,
    )
    async def claim(self, request: Req, item_id: FromPath[UUID]) -> h.DoneOut:
        return out(await _call(request, mc.CLAIM, s.ItemRequest(item_id=item_id)), h.DoneOut)

    @post(
        "/items/{item_id:uuid}/release",
        status_code=HTTP_200_OK,
        summary="Give back your claim so another moderator can take the item",
        responses=ACT,
    )
    async def release(self, request: Req, item_id: FromPath[UUID]) -> h.DoneOut:
        return out(await _call(request, mc.RELEASE, s.ItemRequest(item_id=item_id)), h.DoneOut)

    @post(
        "/items/{item_id:uuid}/hold",
        status_code=HTTP_200_OK,
        summary="Hold an urgent item out of the feed for now (not a rejection)",
        responses=ACT,
    )
    async def hold(self, request: Req, item_id: FromPath[UUID]) -> h.DoneOut:
        return out(await _call(request, mc.HOLD, s.ItemRequest(item_id=item_id)), h.DoneOut)

    @post(
        "/items/{item_id:uuid}/reach-out",
        status_code=HTTP_201_CREATED,
        summary="Send the writer of an urgent item a private message from a template",
        responses=WRITE,
    )
    async def reach_out(
        self, request: Req, item_id: FromPath[UUID], data: JSONBody[h.ReachOutBody], key: IdempotencyKey = None
    ) -> h.DoneOut:
        req = mc.ReachOutRequest(
            item_id=item_id, template_id=data.template_id, personal=data.personal, idempotency_key=key
        )
        done = await _call(request, mc.REACH_OUT, req)
        return out(done, h.DoneOut)

    @get("/templates", summary="The messages moderators can send a writer at risk", responses=READ)
    async def templates(self, request: Req) -> h.TemplatesOut:
        return out(await _call(request, mc.TEMPLATES, s.Actor()), h.TemplatesOut)

    @put("/templates/{template_id:uuid}", summary="Add or change a message template (plain text)", responses=WRITE)
    async def save_template(
        self, request: Req, template_id: FromPath[UUID], data: JSONBody[h.TemplateBody]
    ) -> h.TemplateOut:
        req = mc.TemplateRequest(template_id=template_id, name=data.name, body=data.body)
        view = await _call(request, mc.SAVE_TEMPLATE, req)
        return out(view, h.TemplateOut)

    @post(
        "/items/{item_id:uuid}/decision",
        status_code=HTTP_200_OK,
        summary="Approve, reject, ask for changes or remove",
        responses=WRITE,
    )
    async def decide(self, request: Req, item_id: FromPath[UUID], data: JSONBody[h.DecisionBody]) -> h.DoneOut:
        req = mc.ModerateRequest(item_id=item_id, action=data.action, reason=data.reason, guidance=data.guidance)
        done = await _call(request, mc.MODERATE, req)
        return out(done, h.DoneOut)

    @post(
        "/items/{item_id:uuid}/appeal-decision",
        status_code=HTTP_200_OK,
        summary="Decide an appeal (not your own decision)",
        responses=WRITE,
    )
    async def decide_appeal(
        self, request: Req, item_id: FromPath[UUID], data: JSONBody[h.AppealDecisionBody]
    ) -> h.DoneOut:
        req = mc.DecideAppealRequest(item_id=item_id, upheld=data.upheld, note=data.note)
        done = await _call(request, mc.DECIDE_APPEAL, req)
        return out(done, h.DoneOut)

    @get("/audit", summary="Every moderation action, newest first", responses=READ)
    async def audit(
        self, request: Req, before: FromQuery[Annotated[int | None, Parameter(ge=1, le=2**62)]] = None
    ) -> h.AuditOut:
        return out(await _call(request, mc.AUDIT, mc.AuditRequest(before=before)), h.AuditOut)
