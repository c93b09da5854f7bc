"""Pages reached from mail and for a forgotten password: confirming an address, asking for a
reset link, choosing a new password. Tokens travel in the path; the access log hides them
(``SECRET_PATHS`` in web/observability.py)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, get, post
from litestar.params import FromPath
from litestar.response import Template

from shared.contracts import accounts as acc
from shared.errors import Conflict, Invalid, NotFound
from web.auth import Req, page_member, services_of
from web.forms import form_errors, form_of

SENT = "If an account has this address, we've sent a link to it. It works for an hour. Check your spam folder too."
GONE_TITLE = "This link doesn't work any more"


def _gone(exc: NotFound | Conflict | Invalid, status: int = 404) -> Template:
    context = {"title": GONE_TITLE, "error": exc.message}
    return Template("accounts/link_gone.html.j2", context=context, status_code=status)


class RecoveryPages(Controller):
    path = "/"
    include_in_schema = False

    @get("/forgot-password", name="forgot-password")
    async def forgot_form(self, request: Req) -> Template:
        return Template("accounts/forgot.html.j2", context={"title": "Forgot your password?", "form": {}})

    @post("/forgot-password")
    async def forgot(self, request: Req) -> Template:
        form = await form_of(request)
        email = form.get("email", "")
        try:
            await services_of(request).accounts(acc.FORGOT_PASSWORD, acc.ForgotPasswordRequest(email=email))
        except Invalid as exc:
            context = {"title": "Forgot your password?", "form": {"email": email}, **form_errors(exc)}
            return Template("accounts/forgot.html.j2", context=context, status_code=422)
        context = {"title": "Forgot your password?", "form": {"email": email}, "sent": SENT}
        return Template("accounts/forgot.html.j2", context=context)

    @get("/reset-password/{token:str}")
    async def reset_form(self, request: Req, token: FromPath[str]) -> Template:
        try:
            await services_of(request).accounts(acc.CHECK_RESET_LINK, acc.LinkRequest(token=token))
        except (NotFound, Invalid) as exc:
            return _gone(exc)
        return Template("accounts/reset.html.j2", context={"title": "Choose a new password", "token": token})

    @post("/reset-password/{token:str}")
    async def reset(self, request: Req, token: FromPath[str]) -> Template:
        form = await form_of(request)
        req = acc.ResetPasswordRequest(token=token, new_password=form.get("new_password", ""))
        try:
            await services_of(request).accounts(acc.RESET_PASSWORD, req)
        except NotFound as exc:
            return _gone(exc)
        except Invalid as exc:
            if not exc.errors:  # the link was for an address the account no longer uses
                return _gone(exc)
            context: dict[str, Any] = {"title": "Choose a new password", "token": token, **form_errors(exc)}
            return Template("accounts/reset.html.j2", context=context, status_code=422)
        return Template("accounts/link_done.html.j2", context={"title": "Your password is changed", "done": "reset"})

    @get("/confirm/{token:str}")
    async def confirm_form(self, request: Req, token: FromPath[str]) -> Template:
        """A button, not the change itself: mail scanners open links, and must not use them up."""
        context = {"title": "Confirm your address", "token": token, "member": await page_member(request)}
        return Template("accounts/confirm.html.j2", context=context)

    @post("/confirm/{token:str}")
    async def confirm(self, request: Req, token: FromPath[str]) -> Template:
        try:
            done = await services_of(request).accounts(acc.FOLLOW_LINK, acc.LinkRequest(token=token))
        except (NotFound, Invalid) as exc:
            return _gone(exc)
        except Conflict as exc:
            return _gone(exc, 409)
        title = "Your address is changed" if done.done == "changed" else "Your address is confirmed"
        context = {"title": title, "done": done.done, "member": await page_member(request)}
        return Template("accounts/link_done.html.j2", context=context)
