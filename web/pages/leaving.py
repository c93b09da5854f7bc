"""Leaving Small Wins (docs/adr/0034-erasure.md): the page that says what erasing takes and what
stays, asks for the password again and sets the account to be erased after the grace period; and
the page a sign-in shows meanwhile, which offers to keep the account."""

from __future__ import annotations

import datetime as dt

from litestar import Controller, get, post
from litestar.response import Redirect, Template

from shared.contracts import accounts as acc
from shared.errors import Conflict, Invalid, NotFound, RateLimited
from web.auth import SESSION_COOKIE, Req, services_of
from web.forms import form_errors, form_of
from web.pages.accounts import LOCKED_TITLE, client_ip, signed_in_response, when
from web.pages.calls import signed_in

ERASE_TITLE = "Erase your account"
KEPT = "kept"


class LeavingPages(Controller):
    path = "/"
    include_in_schema = False

    async def _erase_page(self, request: Req, extra: dict[str, object] | None = None, status: int = 200) -> Template:
        member = await signed_in(request)
        grace = request.app.state.settings.erasure_grace_days
        context = {"title": ERASE_TITLE, "member": member, "grace_days": grace, **(extra or {})}
        return Template("accounts/erase.html.j2", context=context, status_code=status)

    @get("/settings/erase", name="erase")
    async def erase_form(self, request: Req) -> Template:
        return await self._erase_page(request)

    @post("/settings/erase")
    async def erase(self, request: Req) -> Template:
        """Set the account to be erased; every session ends, this one too."""
        member = await signed_in(request)
        form = await form_of(request)
        req = acc.ErasureRequest(password=form.get("password", ""))
        try:
            view = await services_of(request).request_erasure(member, req)
        except (Invalid, RateLimited) as exc:
            status = 429 if isinstance(exc, RateLimited) else 422
            return await self._erase_page(request, form_errors(exc), status)
        due = when(view.due_at or dt.datetime.now(dt.UTC), member.time_zone)
        page = Template("accounts/erase_scheduled.html.j2", context={"title": "Goodbye for now", "due": due})
        page.delete_cookie(SESSION_COOKIE, path="/")
        return page

    @post("/signin/keep")
    async def keep(self, request: Req) -> Template | Redirect:
        """Keep an account set to be erased (the token of the sign-in that showed the offer)."""
        form = await form_of(request)
        req = acc.KeepAccountRequest(token=form.get("keep_token", "")[: acc.TOKEN_MAX], client_ip=client_ip(request))
        try:
            issued = await services_of(request).accounts(acc.KEEP_ACCOUNT, req)
        except NotFound as exc:
            context = {"title": "Sign in", "form": {}, **form_errors(exc)}
            return Template("accounts/signin.html.j2", context=context, status_code=404)
        except Conflict as exc:  # too late: the erasure is under way
            context = {"title": LOCKED_TITLE, "due": "", "keep_token": "", "error": exc.message}
            return Template("accounts/locked.html.j2", context=context, status_code=409)
        return signed_in_response(request, issued, f"/settings?done={KEPT}")
