"""Sign-up, sign-in and sign-out pages."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from litestar import Controller, get, post
from litestar.params import FromQuery
from litestar.response import Redirect, Template

from shared.contracts.accounts import SessionIssued
from shared.errors import Conflict, Invalid, RateLimited, Unauthenticated
from web.auth import SESSION_COOKIE, Req, clear_session, page_member, services_of, session_cookie
from web.forms import SignInData, SignUpData, form_errors
from web.security import local_path

LOCKED_TITLE = "Your account is set to be erased"


def when(at: dt.datetime, time_zone: str) -> str:
    """A moment in the member's own time zone, in words: "12 March 2026 at 09:30 (Europe/Berlin)"."""
    zone = time_zone or "UTC"
    try:
        local = at.astimezone(zoneinfo.ZoneInfo(zone))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone, local = "UTC", at.astimezone(dt.UTC)
    return f"{local:%-d %B %Y at %H:%M} ({zone})"


def locked_page(issued: SessionIssued, status: int = 200, error: str = "") -> Template:
    """What signing in to an account set to be erased shows: when, and a way to keep it."""
    due = issued.erasure_due or issued.expires_at
    context = {
        "title": LOCKED_TITLE, "due": when(due, issued.member.time_zone), "keep_token": issued.keep_token,
        "error": error,
    }  # fmt: skip
    return Template("accounts/locked.html.j2", context=context, status_code=status)


def signed_in_response(request: Req, issued: SessionIssued, next_path: str) -> Redirect:
    """On to ``next_path`` (a path on this site, else home) with the new session's cookie."""
    secure = bool(request.app.state.settings.cookie_secure)
    cookie = session_cookie(issued.token, secure=secure, max_age=_max_age(issued.expires_at))
    return Redirect(local_path(next_path, "/"), cookies=[cookie])


def _next(request: Req) -> str:
    """The page a signed-out person was on (only a path on this site; anything else is dropped)."""
    return local_path(request.query_params.get("next"), "")


class AccountPages(Controller):
    path = "/"
    include_in_schema = False

    @get("/signup", name="signup")
    async def signup_form(self, request: Req) -> Template | Redirect:
        if await page_member(request):
            return Redirect(_next(request) or "/")
        return Template(
            "accounts/signup.html.j2", context={"form": {"next": _next(request)}, "title": "Join Small Wins"}
        )

    @post("/signup")
    async def signup(self, request: Req, data: SignUpData) -> Template:
        """Every sign-up that is not refused ends on the same page, "check your e-mail", whether the
        address was new or already had an account (whose owner gets a note): ADR 28."""
        try:
            await services_of(request).register(data.pseudonym, data.email, data.password)
        except (Invalid, Conflict) as exc:
            context = {
                "form": {"pseudonym": data.pseudonym, "email": data.email, "next": local_path(data.next, "")},
                **form_errors(exc),
            }
            status = 409 if isinstance(exc, Conflict) else 422
            return Template(
                "accounts/signup.html.j2", context={"title": "Join Small Wins", **context}, status_code=status
            )
        form = {"email": data.email, "next": local_path(data.next, "")}
        return Template("accounts/check_email.html.j2", context={"title": "Check your e-mail", "form": form})

    @get("/signin", name="signin")
    async def signin_form(self, request: Req, signed_out: FromQuery[bool] = False) -> Template | Redirect:
        if await page_member(request):
            return Redirect(_next(request) or "/")
        context = {"form": {"next": _next(request)}, "signed_out": signed_out, "title": "Sign in"}
        return Template("accounts/signin.html.j2", context=context)

    @post("/signin")
    async def signin(self, request: Req, data: SignInData) -> Template | Redirect:
        try:
            issued = await services_of(request).sign_in(data.email, data.password, client_ip(request))
        except (Unauthenticated, RateLimited, Invalid) as exc:  # Invalid: past a limit of the contract
            status = 429 if isinstance(exc, RateLimited) else 422 if isinstance(exc, Invalid) else 401
            headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, RateLimited) else {}
            context = {
                "title": "Sign in", "form": {"email": data.email, "next": local_path(data.next, "")}, **form_errors(exc),
            }  # fmt: skip
            return Template("accounts/signin.html.j2", context=context, status_code=status, headers=headers)
        if issued.erasure_due is not None:  # set to be erased: no session, an offer to keep it instead
            return locked_page(issued)
        return signed_in_response(request, issued, data.next)

    @post("/signout")
    async def signout(self, request: Req) -> Redirect:
        token = request.cookies.get(SESSION_COOKIE)
        if token:
            await services_of(request).sign_out(token)
        response = Redirect("/signin?signed_out=true")
        clear_session(response)
        return response


def client_ip(request: Req) -> str:
    return request.client.host if request.client else ""


def _max_age(expires_at: dt.datetime) -> int:
    return max(0, int((expires_at - dt.datetime.now(dt.UTC)).total_seconds()))
