"""One-click unsubscribe from a notification mail (RFC 8058): the signed link in ``List-Unsubscribe``.
GET shows a page with a button (mail scanners open links and must not act); POST unsubscribes,
from that button or from the mail client itself. No sign-in and no redirect; a changed link is
refused with a clear page and changes nothing. The access log hides the link (SECRET_PATHS)."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, get, post
from litestar.params import FromPath
from litestar.response import Template
from litestar.status_codes import HTTP_200_OK

from shared.contracts import notification_prefs as p
from shared.errors import Forbidden, Invalid
from web.auth import Req, services_of


async def _answer(request: Req, member_id: UUID, what: str, sig: str, *, confirm: bool) -> Template:
    try:
        req = p.UnsubscribeRequest(
            member_id=member_id, what=what[: p.UNSUBSCRIBE_MAX], signature=sig[: p.SIGNATURE_MAX], confirm=confirm
        )
        view = await services_of(request).unsubscribe(req)
    except (Forbidden, Invalid) as exc:
        context = {"title": "This link doesn't work", "refused": True, "error": exc.message}
        return Template("notifications/unsubscribe.html.j2", context=context, status_code=403)
    title = "You're unsubscribed" if view.done else "Unsubscribe"
    context = {"title": title, "refused": False, "done": view.done, "label": view.label}
    return Template("notifications/unsubscribe.html.j2", context=context)


class UnsubscribePages(Controller):
    path = "/unsubscribe"
    include_in_schema = False

    @get("/{member_id:uuid}/{what:str}/{sig:str}")
    async def confirm_page(
        self, request: Req, member_id: FromPath[UUID], what: FromPath[str], sig: FromPath[str]
    ) -> Template:
        return await _answer(request, member_id, what, sig, confirm=False)

    @post("/{member_id:uuid}/{what:str}/{sig:str}", status_code=HTTP_200_OK)
    async def unsubscribe(
        self, request: Req, member_id: FromPath[UUID], what: FromPath[str], sig: FromPath[str]
    ) -> Template:
        return await _answer(request, member_id, what, sig, confirm=True)
