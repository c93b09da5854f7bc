"""``GET /inbox/live``: the signed-in member's inbox as server-sent events, for the header's badge
and the inbox page (web/static/app.js). Each event's id is the inbox position it brings the page
to; a browser that reconnects sends the last one (``Last-Event-ID``) and gets what changed after
it, once. An id that is not a position, or one the inbox has not reached, starts from now.
A comment every ``HEARTBEAT_S`` keeps proxies from closing a quiet stream. See ADR 0030."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator

import msgspec
from litestar import get
from litestar.exceptions import NotAuthorizedException
from litestar.response import ServerSentEvent
from litestar.response.sse import ServerSentEventMessage

from shared.contracts.accounts import MemberView
from shared.contracts.notifications import ChangesView
from shared.errors import DomainError, Unauthenticated
from web.auth import SESSION_COOKIE, Req, services_of
from web.live import DROPPED, InboxHub, Listener
from web.pages.inbox import inbox_href
from web.services import Services

HEARTBEAT_S = 20.0
LIFETIME_S = 30 * 60.0  # then the browser reconnects (to any web copy), and the session is asked again
RETRY_MS = 2_000  # how soon a browser comes back after a stream ends
_POSITION = re.compile(r"[0-9]{1,18}")


class LiveItem(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    title: str
    href: str


class LiveInbox(msgspec.Struct, frozen=True, kw_only=True):
    """An event's data: the unread count, and the items written or grown since the last event."""

    unread: int
    items: tuple[LiveItem, ...] = ()


def last_event_id(header: str | None) -> int:
    """The position a reconnecting page reached; -1 ("from now") for none or for garbage."""
    return int(header) if header and _POSITION.fullmatch(header) else -1


def _event(view: ChangesView) -> ServerSentEventMessage:
    items = tuple(LiveItem(id=str(i.notification_id), title=i.title, href=inbox_href(i)) for i in view.items)
    data = msgspec.json.encode(LiveInbox(unread=view.unread, items=items)).decode()
    return ServerSentEventMessage(data=data, event="inbox", id=view.position)


def _ending(comment: str, retry_ms: int = RETRY_MS) -> ServerSentEventMessage:
    return ServerSentEventMessage(data=None, comment=comment, retry=retry_ms)


async def _woken(listener: Listener) -> int | None:
    """The newest position this stream was woken for (``DROPPED`` if dropped); None after a quiet spell."""
    try:
        newest = await asyncio.wait_for(listener.queue.get(), HEARTBEAT_S)
    except TimeoutError:
        return None
    while not listener.queue.empty():
        newest = max(newest, listener.queue.get_nowait())
    return DROPPED if listener.dropped else newest


async def _still_signed_in(services: Services, token: str) -> bool:
    try:
        await services.member_for(token)
    except Unauthenticated:
        return False
    return True


async def _stream(
    services: Services, hub: InboxHub, member: MemberView, token: str, after: int
) -> AsyncIterator[ServerSentEventMessage]:
    loop = asyncio.get_running_loop()
    with hub.listen(member.member_id) as listener:  # before asking, so no change falls in between
        try:
            view = await services.inbox_changes(member, after)
            yield _event(view)
            sent, until = view.position, loop.time() + LIFETIME_S
            while loop.time() < until:
                woken = await _woken(listener)
                if woken == DROPPED:
                    yield _ending("too slow: reconnect and catch up")
                    return
                if woken is None:
                    if not await _still_signed_in(services, token):
                        yield _ending("signed out", retry_ms=60_000)
                        return
                    yield ServerSentEventMessage(data=None, comment="keep-alive")
                elif woken > sent:
                    view = await services.inbox_changes(member, sent)
                    if view.position > sent:
                        yield _event(view)
                        sent = view.position
        except DomainError:  # notifications cannot answer now: come back a little later
            yield _ending("unavailable", retry_ms=10_000)
            return
        yield _ending("time to reconnect")


@get("/inbox/live", name="inbox-live", include_in_schema=False)
async def live_inbox(request: Req) -> ServerSentEvent:
    """The member's live inbox; 401 without a session (a browser's EventSource then stops)."""
    services, token = services_of(request), request.cookies.get(SESSION_COOKIE) or ""
    try:
        member = await services.member_for(token) if token else None
    except Unauthenticated:
        member = None
    if member is None:
        raise NotAuthorizedException("Please sign in to see your inbox.")
    # a reconnecting EventSource says where it got to; a tab taking over the stream, ``?after=``
    after = last_event_id(request.headers.get("last-event-id") or request.query_params.get("after"))
    return ServerSentEvent(_stream(services, request.app.state.live, member, token, after))
