"""JSON API: erasing the signed-in member's account (docs/adr/0034-erasure.md). Keeping an account
set to be erased is part of signing in (``POST /api/sessions`` with ``keep_account``): while it is
set to be erased, nobody holds a session of it."""

from __future__ import annotations

import datetime as dt
from typing import Literal

import msgspec
from litestar import Controller, get, post
from litestar.params import JSONBody
from litestar.status_codes import HTTP_202_ACCEPTED

from shared.contracts import accounts as acc
from web.api.limits import Password
from web.api.openapi import SECURED, problems
from web.auth import Req, api_member, services_of
from web.services import acting

ErasureState = Literal["none", "scheduled", "erased"]


class ErasureBody(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    password: Password  # the current password, asked again


class ErasureOut(msgspec.Struct, frozen=True, kw_only=True):
    state: ErasureState  # "scheduled": erased at due_at unless the member signs in to keep it
    requested_at: dt.datetime | None
    due_at: dt.datetime | None
    grace_days: int  # how long this system waits between the request and the erasure

    @classmethod
    def of(cls, view: acc.ErasureView, grace_days: int) -> ErasureOut:
        state: ErasureState = "scheduled" if view.state == acc.ERASURE_SCHEDULED else "none"
        if view.state == acc.ERASURE_ERASED:
            state = "erased"
        return cls(state=state, requested_at=view.requested_at, due_at=view.due_at, grace_days=grace_days)


class ErasureApi(Controller):
    path = "/api/account/erasure"
    tags = ["accounts"]  # noqa: RUF012 - Litestar declares it as an instance attribute

    @get("/", summary="Whether the signed-in member's account is set to be erased", responses=problems(401),
         security=SECURED)  # fmt: skip
    async def state(self, request: Req) -> ErasureOut:
        member = await api_member(request)
        view = await services_of(request).accounts(acc.ERASURE, acc.ErasureStateRequest(), acting(member))
        return ErasureOut.of(view, request.app.state.settings.erasure_grace_days)

    @post(
        "/", status_code=HTTP_202_ACCEPTED,
        summary="Erase my account after the grace period (the password again). Every session ends, this one too; "
        "to keep the account, sign in with keep_account before due_at",
        responses=problems(400, 401, 404, 429), security=SECURED,
    )  # fmt: skip
    async def request_erasure(self, request: Req, data: JSONBody[ErasureBody]) -> ErasureOut:
        member = await api_member(request)
        view = await services_of(request).request_erasure(member, acc.ErasureRequest(password=data.password))
        return ErasureOut.of(view, request.app.state.settings.erasure_grace_days)
