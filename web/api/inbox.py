"""JSON API of the inbox: a page of notifications, the unread count, read marks."""

from __future__ import annotations

import datetime as dt
from typing import Annotated
from uuid import UUID

import msgspec
from litestar import Controller, get, post
from litestar.params import FromPath, FromQuery
from litestar.status_codes import HTTP_200_OK

from shared.contracts import notifications as n
from web.api.openapi import SECURED, problems
from web.auth import Req, api_member, services_of


class InboxItemOut(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    kind: str
    title: str
    body: str
    created_at: dt.datetime
    updated_at: dt.datetime | None
    read: bool
    about: str
    about_id: UUID | None


class InboxOut(msgspec.Struct, frozen=True, kw_only=True):
    items: list[InboxItemOut]
    next_cursor: Annotated[str, msgspec.Meta(description="The cursor of the next (older) page; empty on the last")]
    unread: int


class UnreadOut(msgspec.Struct, frozen=True, kw_only=True):
    count: int


class ReadOut(msgspec.Struct, frozen=True, kw_only=True):
    marked: int


def _item(i: n.InboxItem) -> InboxItemOut:
    return InboxItemOut(
        id=i.notification_id, kind=i.kind, title=i.title, body=i.body, created_at=i.created_at,
        updated_at=i.updated_at, read=i.read, about=i.about, about_id=i.about_id,
    )  # fmt: skip


class InboxApi(Controller):
    path = "/api/inbox"
    tags = ["inbox"]  # noqa: RUF012 - Litestar declares it as an instance attribute
    security = SECURED

    @get("/", summary="A page of the member's notifications, newest first", responses=problems(401, 422))
    async def page(
        self, request: Req, cursor: FromQuery[n.Cursor] = "", limit: FromQuery[n.Limit] = n.PAGE_DEFAULT
    ) -> InboxOut:
        member = await api_member(request)
        view = await services_of(request).inbox(member, limit=limit, cursor=cursor)
        return InboxOut(items=[_item(i) for i in view.items], next_cursor=view.next_cursor, unread=view.unread)

    @get("/unread", summary="How many notifications are unread", responses=problems(401))
    async def unread(self, request: Req) -> UnreadOut:
        return UnreadOut(count=await services_of(request).unread(await api_member(request)))

    @post("/{notification_id:uuid}/read", status_code=HTTP_200_OK, summary="Mark one notification read",
          responses=problems(401, 404, 429))  # fmt: skip
    async def read(self, request: Req, notification_id: FromPath[UUID]) -> ReadOut:
        req = n.ReadRequest(notification_id=notification_id)
        view = await services_of(request).notifications(n.MARK_READ, req, await api_member(request))
        return ReadOut(marked=view.marked)

    @post("/read-all", status_code=HTTP_200_OK, summary="Mark every notification read", responses=problems(401, 429))
    async def read_all(self, request: Req) -> ReadOut:
        view = await services_of(request).notifications(n.MARK_ALL_READ, n.ReadAllRequest(), await api_member(request))
        return ReadOut(marked=view.marked)
