"""``GET /inbox/live``: the signed-in member's inbox as server-sent events, for the header's badge
and the inbox page (web/static/app.js). Each event's id is the inbox position it brings the page
to; a browser that reconnects sends the last one (``Last-Event-ID``) and gets what changed after
it, once. An id that is not a position, or one the inbox has not reached, starts from now.
A comment every ``HEARTBEAT_S`` keeps proxies from closing a quiet stream.

One web process holds thousands of these, so the stream is answered in plain ASGI before
Litestar's routing (``web.app.WebApp``): a stream is the server's task for its request, one
future at a time from the hub (web/live.py) and one watch on the request's disconnect, with no
middleware, response object or task group kept open for half an hour. See ADR 0030."""

from __future__ import annotations

import asyncio
import re
import time
from urllib.parse import parse_qs, unquote

import msgspec
from litestar.datastructures import State
from litestar.types import HTTPResponseStartEvent, HTTPScope, Receive, Send

from shared.contracts.accounts import MemberView
from shared.contracts.notifications import ChangesView
from shared.errors import DomainError, Unauthenticated
from shared.logging import correlation_id
from web.auth import SESSION_COOKIE
from web.live import BEAT, BEAT_SLOTS, DROPPED, GONE, InboxHub
from web.observability import REQUEST_ID_HEADER, log_request, request_id
from web.pages.inbox import inbox_href
from web.security import security_headers
from web.services import Services

PATH = "/inbox/live"
HEARTBEAT_S = 20.0
LIFETIME_S = 30 * 60.0  # then the browser reconnects (to any web copy), and the session is asked again
RETRY_MS = 2_000  # how soon a browser comes back after a stream ends
SIGNED_OUT_RETRY_MS = 60_000
UNAVAILABLE_RETRY_MS = 10_000
_POSITION = re.compile(r"[0-9]{1,18}")
_HEADERS = [
    (b"content-type", b"text/event-stream; charset=utf-8"),
    (b"connection", b"keep-alive"),
    (b"x-accel-buffering", b"no"),
]
KEEP_ALIVE = b": keep-alive\r\n\r\n"


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


def event(view: ChangesView) -> bytes:
    """One ``inbox`` event, its id the position (JSON has no raw line break: one data line)."""
    items = tuple(LiveItem(id=str(i.notification_id), title=i.title, href=inbox_href(i)) for i in view.items)
    data = msgspec.json.encode(LiveInbox(unread=view.unread, items=items))
    return b"id: %d\r\nevent: inbox\r\ndata: %s\r\n\r\n" % (view.position, data)


def ending(comment: str, retry_ms: int | None = None) -> bytes:
    """The stream's last words: why it ends, and when the browser should come back."""
    return b": %s\r\nretry: %d\r\n\r\n" % (comment.encode(), RETRY_MS if retry_ms is None else retry_ms)


async def heartbeats(hub: InboxHub, stop: asyncio.Event) -> None:
    """The one beat of this process: a slot of streams every ``HEARTBEAT_S / BEAT_SLOTS``."""
    while not stop.is_set():
        try:
            await asyncio.wait_for(stop.wait(), HEARTBEAT_S / BEAT_SLOTS)
        except TimeoutError:
            hub.beat()


def _request(scope: HTTPScope) -> tuple[str, int]:
    """The session token from the cookie, and where a reconnecting page got to: its
    ``Last-Event-ID``, or ``?after=`` for a tab taking over the stream."""
    token, last = "", None
    for name, value in scope["headers"]:
        if name == b"cookie":
            for chunk in value.decode("latin-1").split(";"):
                key, _, val = chunk.partition("=")
                if key.strip() == SESSION_COOKIE:
                    token = unquote(val.strip())
        elif name == b"last-event-id":
            last = value.decode("latin-1")
    if not last:
        last = (parse_qs(scope["query_string"].decode("latin-1")).get("after") or [""])[0]
    return token, last_event_id(last)


async def _start(scope: HTTPScope, send: Send, status: int, headers: list[tuple[bytes, bytes]]) -> None:
    message: HTTPResponseStartEvent = {
        "type": "http.response.start",
        "status": status,
        "headers": [*headers, (REQUEST_ID_HEADER.encode(), (correlation_id.get() or "").encode())],
    }
    await security_headers(message, scope)
    await send(message)


async def _refuse(scope: HTTPScope, send: Send, status: int, text: str, extra: list[tuple[bytes, bytes]]) -> None:
    body = text.encode()
    headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", b"%d" % len(body)), *extra]
    await _start(scope, send, status, headers)
    await send({"type": "http.response.body", "body": body, "more_body": False})


async def serve(app_state: State, scope: HTTPScope, receive: Receive, send: Send) -> None:
    """Answer ``GET /inbox/live``: 401 without a session (a browser's EventSource then stops)."""
    token_cid = correlation_id.set(request_id(scope))
    started, status = time.perf_counter(), 200
    try:
        if scope["method"] != "GET":
            status = 405
            await _refuse(scope, send, status, "Only GET is served here.", [(b"allow", b"GET")])
            return
        services: Services = app_state.services
        token, after = _request(scope)
        try:
            member = await _member(services, token)
        except DomainError:  # accounts cannot answer now
            status = 503
            await _refuse(
                scope,
                send,
                status,
                "Please try again in a moment.",
                [(b"retry-after", b"%d" % (UNAVAILABLE_RETRY_MS // 1000))],
            )
            return
        if member is None:
            status = 401
            await _refuse(scope, send, status, "Please sign in to see your inbox.", [])
            return
        await _start(scope, send, status, _HEADERS)
        await _stream(services, app_state.live, member, token, after, receive, send)
    finally:
        log_request(scope, status, started)
        correlation_id.reset(token_cid)


async def _member(services: Services, token: str) -> MemberView | None:
    if not token:
        return None
    try:
        return await services.member_for(token)
    except Unauthenticated:
        return None


async def _still_signed_in(services: Services, token: str) -> bool:
    try:
        await services.member_for(token)
    except Unauthenticated:
        return False
    return True


async def _stream(
    services: Services, hub: InboxHub, member: MemberView, token: str, sent: int, receive: Receive, send: Send
) -> None:
    """Write events until the stream ends, then its last words (none if the browser left)."""
    await receive()  # the request (a GET has no body); the next ``receive`` returns when the browser leaves
    loop = asyncio.get_running_loop()
    until, last = loop.time() + LIFETIME_S, ending("time to reconnect")
    listener = hub.open(member.member_id)  # before asking, so no change falls in between
    watch = asyncio.ensure_future(receive())
    watch.add_done_callback(listener.leave)
    try:
        view = await services.inbox_changes(member, sent)
        await send({"type": "http.response.body", "body": event(view), "more_body": True})
        sent = view.position
        while loop.time() < until:
            waiting = listener.wait()
            if waiting is not None:
                await waiting
            woken = listener.take()
            if woken == GONE:
                return
            if woken == DROPPED:
                last = ending("too slow: reconnect and catch up")
                break
            if woken == BEAT:
                if not await _still_signed_in(services, token):
                    last = ending("signed out", SIGNED_OUT_RETRY_MS)
                    break
                await send({"type": "http.response.body", "body": KEEP_ALIVE, "more_body": True})
            elif woken > sent:
                view = await services.inbox_changes(member, sent)
                if view.position > sent:
                    await send({"type": "http.response.body", "body": event(view), "more_body": True})
                    sent = view.position
    except DomainError:  # notifications cannot answer now: come back a little later
        last = ending("unavailable", UNAVAILABLE_RETRY_MS)
    finally:
        watch.remove_done_callback(listener.leave)
        watch.cancel()
        hub.close(listener)
    await send({"type": "http.response.body", "body": last, "more_body": False})
