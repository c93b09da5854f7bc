"""The member's settings page: e-mail address, password, time zone and notifications, each its own form."""

from __future__ import annotations

import functools
import zoneinfo
from typing import Any

import msgspec
from litestar import Controller, get, post
from litestar.response import Redirect, Template

from shared.contracts import accounts as acc
from shared.contracts import notification_prefs as np
from shared.contracts import notifications as n
from shared.contracts.accounts import MemberView
from shared.contracts.verbs import A, Q, Verb
from shared.errors import Conflict, Invalid, NotFound
from web.auth import SESSION_COOKIE, Req, services_of
from web.forms import form_errors, form_of
from web.pages.calls import signed_in
from web.pages.notification_settings import FIELDS, form_of_preferences, preferences_from
from web.services import acting

DONE = {
    "email": "We've sent a link to your new address. Follow it to make the change; until then, nothing changes.",
    "password": "Your password is changed. You've been signed out everywhere else.",
    "time_zone": "Your time zone is saved.",
    "confirmation": "We've sent you a new link to confirm your address.",
    "notifications": "Your notification settings are saved.",
    "kept": "Welcome back. Your account is yours again: nothing will be erased.",
}


@functools.cache
def time_zones() -> tuple[str, ...]:
    """Every IANA time zone name this machine knows, for the list on the page."""
    return tuple(sorted(z for z in zoneinfo.available_timezones() if "/" in z or z == "UTC"))


async def _ask(request: Req, member: MemberView, verb: Verb[Q, A], req: Q) -> A:
    return await services_of(request).accounts(verb, req, acting(member))


class SettingsPages(Controller):
    path = "/settings"
    include_in_schema = False

    async def _page(self, request: Req, extra: dict[str, Any] | None = None, status: int = 200) -> Template:
        member = await signed_in(request)
        account = await _ask(request, member, acc.ACCOUNT, acc.AccountRequest())
        done = DONE.get(request.query_params.get("done", ""))
        prefs = await services_of(request).notifications(n.PREFERENCES, np.PreferencesRequest(), member)
        context = {
            "title": "Settings", "member": member, "account": account, "zones": time_zones(), "done": done,
            "form": {}, "section": "", "prefs": form_of_preferences(prefs.preferences), "kind_groups": np.KIND_GROUPS,
            "kinds": np.KIND_LABELS,
            "channels": np.CHANNEL_LABELS, "always_told": np.ALWAYS_TOLD, "pref_fields": FIELDS, **(extra or {}),
        }  # fmt: skip
        return Template("accounts/settings.html.j2", context=context, status_code=status)

    @get("/", name="settings")
    async def page(self, request: Req) -> Template:
        return await self._page(request)

    async def _act(self, request: Req, section: str, verb: Verb[Q, Any], req: Q) -> Template | Redirect:
        member = await signed_in(request)
        try:
            await _ask(request, member, verb, req)
        except (Invalid, Conflict, NotFound) as exc:
            status = {Invalid: 422, Conflict: 409, NotFound: 404}[type(exc)]
            fields = msgspec.structs.asdict(req) if isinstance(req, msgspec.Struct) else {}
            shown = {k: v for k, v in fields.items() if "password" not in k and "token" not in k}
            return await self._page(request, {"form": shown, "section": section, **form_errors(exc)}, status)
        return Redirect(f"/settings?done={section}#{section}")

    @post("/email")
    async def change_email(self, request: Req) -> Template | Redirect:
        form = await form_of(request)
        req = acc.ChangeEmailRequest(
            new_email=form.get("new_email", ""), current_password=form.get("current_password", "")
        )
        return await self._act(request, "email", acc.CHANGE_EMAIL, req)

    @post("/password")
    async def change_password(self, request: Req) -> Template | Redirect:
        form = await form_of(request)
        req = acc.ChangePasswordRequest(
            current_password=form.get("current_password", ""), new_password=form.get("new_password", ""),
            current_token=request.cookies.get(SESSION_COOKIE, ""),
        )  # fmt: skip
        return await self._act(request, "password", acc.CHANGE_PASSWORD, req)

    @post("/time-zone")
    async def time_zone(self, request: Req) -> Template | Redirect:
        form = await form_of(request)
        req = acc.TimeZoneRequest(time_zone=form.get("time_zone", ""))
        return await self._act(request, "time_zone", acc.SET_TIME_ZONE, req)

    @post("/notifications")
    async def notifications(self, request: Req) -> Template | Redirect:
        member = await signed_in(request)
        form = await form_of(request)
        try:
            req = np.SetPreferencesRequest(preferences=preferences_from(form))
            await services_of(request).notifications(n.SET_PREFERENCES, req, member)
        except Invalid as exc:
            extra = {"form": dict(form), "section": "notifications", **form_errors(exc)}
            return await self._page(request, extra, 422)
        return Redirect("/settings?done=notifications#notifications")

    @post("/confirmation")
    async def resend(self, request: Req) -> Template | Redirect:
        return await self._act(request, "confirmation", acc.RESEND_CONFIRMATION, acc.ResendConfirmationRequest())
