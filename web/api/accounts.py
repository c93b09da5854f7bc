"""JSON API: members, sessions and the notification inbox."""

from __future__ import annotations

from litestar import Controller, delete, get, post
from litestar.params import JSONBody
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT

from shared.contracts import accounts as acc
from shared.errors import Conflict
from web.api.openapi import SECURED, problems
from web.api.schemas import MemberOut, NotificationOut, RegisterBody, SessionOut, SignInBody
from web.auth import Req, api_member, bearer_token, services_of

LOCKED = (
    'This account is set to be erased at {due}. To keep it, sign in again with "keep_account": true;'
    " nothing will be erased then."
)


class AccountsApi(Controller):
    path = "/api"
    tags = ["accounts"]  # noqa: RUF012 - Litestar declares it as an instance attribute

    @post("/members", status_code=HTTP_201_CREATED, summary="Sign up", responses=problems(400, 409, 429), security=[])
    async def register(self, request: Req, data: JSONBody[RegisterBody]) -> MemberOut:
        view = await services_of(request).register(data.pseudonym, data.email, data.password)
        return MemberOut.of(view)

    @post(
        "/sessions", status_code=HTTP_201_CREATED,
        summary="Sign in (an account set to be erased: 409, unless keep_account keeps it)",
        responses=problems(400, 401, 404, 409, 429), security=[],
    )  # fmt: skip
    async def sign_in(self, request: Req, data: JSONBody[SignInBody]) -> SessionOut:
        ip = request.client.host if request.client else ""
        issued = await services_of(request).sign_in(data.email, data.password, ip)
        if issued.erasure_due is not None:
            if not data.keep_account:
                raise Conflict(LOCKED.format(due=issued.erasure_due.isoformat()))
            keep = acc.KeepAccountRequest(token=issued.keep_token, client_ip=ip)
            issued = await services_of(request).accounts(acc.KEEP_ACCOUNT, keep)
        return SessionOut(token=issued.token, expires_at=issued.expires_at, member=MemberOut.of(issued.member))

    @delete(
        "/sessions/current", status_code=HTTP_204_NO_CONTENT, summary="Sign out", responses=problems(401, 429),
        security=SECURED,
    )  # fmt: skip
    async def sign_out(self, request: Req) -> None:
        await services_of(request).sign_out(bearer_token(request))

    @get("/me", summary="The signed-in member", responses=problems(401), security=SECURED)
    async def me(self, request: Req) -> MemberOut:
        return MemberOut.of(await api_member(request))

    @get("/notifications", summary="The signed-in member's notifications", responses=problems(401), security=SECURED)
    async def notifications(self, request: Req) -> list[NotificationOut]:
        member = await api_member(request)
        inbox = await services_of(request).inbox(member)
        return [NotificationOut.of(item) for item in inbox.items]
