"""Who is asking: the session cookie for pages, a bearer token for the JSON API."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response
from litestar.datastructures import Cookie, State

from shared.contracts.accounts import MemberView
from shared.errors import DomainError, Unauthenticated
from web.services import Services

SESSION_COOKIE = "sw_session"
Req = Request[Any, Any, State]


def services_of(request: Req) -> Services:
    services: Services = request.app.state.services
    return services


async def page_member(request: Req) -> MemberView | None:
    """The signed-in member of a page request, or None. A page shown to a member also learns how
    many inbox items they have not read, for the header's badge (one small request)."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    try:
        member = await services_of(request).member_for(token)
    except Unauthenticated:
        return None
    if request.method == "GET" and "unread" not in request.state:  # once a page, however often asked
        request.state.unread = await _unread(request, member)
    return member


async def _unread(request: Req, member: MemberView) -> int:
    """The badge's count; a page still shows (without it) while notifications cannot answer."""
    try:
        return await services_of(request).unread(member)
    except DomainError:
        return 0


def known_member(request: Req) -> MemberView | None:
    """The signed-in member of a page request if already known, without asking accounts."""
    token = request.cookies.get(SESSION_COOKIE)
    return services_of(request).cached_member(token) if token else None


def bearer_token(request: Req) -> str:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("Send your session token as 'Authorization: Bearer <token>'.")
    return token.strip()


async def api_member(request: Req) -> MemberView:
    return await services_of(request).member_for(bearer_token(request))


def session_cookie(token: str, *, secure: bool, max_age: int) -> Cookie:
    return Cookie(
        key=SESSION_COOKIE, value=token, httponly=True, samesite="lax", secure=secure,
        max_age=max_age, path="/",
    )  # fmt: skip


def clear_session(response: Response[object]) -> Response[object]:
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
