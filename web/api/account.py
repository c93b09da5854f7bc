"""JSON API: the signed-in member's account (address, password, time zone) and the links of mail
(confirming an address, resetting a forgotten password)."""

from __future__ import annotations

import msgspec
from litestar import Controller, get, post, put
from litestar.params import JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_202_ACCEPTED, HTTP_204_NO_CONTENT

from shared.contracts import accounts as acc
from web.api.limits import Email, Password
from web.api.openapi import SECURED, problems
from web.auth import Req, api_member, bearer_token, services_of
from web.services import acting

LinkToken = acc.LinkToken


class AccountOut(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    pseudonym: str
    email: str
    email_confirmed: bool
    time_zone: str  # "" until chosen

    @classmethod
    def of(cls, view: acc.AccountView) -> AccountOut:
        return cls(
            id=str(view.member_id), pseudonym=view.pseudonym, email=view.email,
            email_confirmed=view.email_confirmed, time_zone=view.time_zone,
        )  # fmt: skip


class EmailChangeBody(msgspec.Struct, frozen=True, kw_only=True):
    new_email: Email
    current_password: Password


class PasswordChangeBody(msgspec.Struct, frozen=True, kw_only=True):
    current_password: Password
    new_password: Password


class TimeZoneBody(msgspec.Struct, frozen=True, kw_only=True):
    time_zone: acc.TimeZone  # an IANA name, e.g. "Europe/Berlin"


class LinkBody(msgspec.Struct, frozen=True, kw_only=True):
    token: LinkToken  # from the link in the mail


class ResetRequestBody(msgspec.Struct, frozen=True, kw_only=True):
    email: Email


class ResetBody(msgspec.Struct, frozen=True, kw_only=True):
    token: LinkToken
    new_password: Password


class LinkOut(msgspec.Struct, frozen=True, kw_only=True):
    done: str  # "confirmed" or "changed"


class AccountApi(Controller):
    path = "/api/account"
    tags = ["accounts"]  # noqa: RUF012 - Litestar declares it as an instance attribute

    @get("/", summary="The signed-in member's account", responses=problems(401, 404), security=SECURED)
    async def account(self, request: Req) -> AccountOut:
        member = await api_member(request)
        return AccountOut.of(await services_of(request).accounts(acc.ACCOUNT, acc.AccountRequest(), acting(member)))

    @post(
        "/email", status_code=HTTP_202_ACCEPTED, summary="Change the e-mail address (a link goes to the new one)",
        responses=problems(400, 401, 404, 429), security=SECURED,
    )  # fmt: skip
    async def change_email(self, request: Req, data: JSONBody[EmailChangeBody]) -> AccountOut:
        member = await api_member(request)
        req = acc.ChangeEmailRequest(new_email=data.new_email, current_password=data.current_password)
        return AccountOut.of(await services_of(request).accounts(acc.CHANGE_EMAIL, req, acting(member)))

    @post(
        "/password", status_code=HTTP_204_NO_CONTENT, summary="Change the password (other sessions end)",
        responses=problems(400, 401, 404, 429), security=SECURED,
    )  # fmt: skip
    async def change_password(self, request: Req, data: JSONBody[PasswordChangeBody]) -> None:
        member = await api_member(request)
        req = acc.ChangePasswordRequest(
            current_password=data.current_password, new_password=data.new_password, current_token=bearer_token(request)
        )
        await services_of(request).accounts(acc.CHANGE_PASSWORD, req, acting(member))

    @put(
        "/time-zone", status_code=HTTP_200_OK, summary="Set the time zone",
        responses=problems(400, 401, 404, 429), security=SECURED,
    )  # fmt: skip
    async def time_zone(self, request: Req, data: JSONBody[TimeZoneBody]) -> AccountOut:
        member = await api_member(request)
        req = acc.TimeZoneRequest(time_zone=data.time_zone)
        return AccountOut.of(await services_of(request).accounts(acc.SET_TIME_ZONE, req, acting(member)))

    @post(
        "/confirmation", status_code=HTTP_202_ACCEPTED, summary="Send the confirmation link again",
        responses=problems(401, 404, 429), security=SECURED,
    )  # fmt: skip
    async def resend(self, request: Req) -> None:
        member = await api_member(request)
        await services_of(request).accounts(acc.RESEND_CONFIRMATION, acc.ResendConfirmationRequest(), acting(member))

    @post(
        "/confirm", status_code=HTTP_200_OK, summary="Follow a confirmation or change-of-address link",
        responses=problems(400, 404, 409, 429), security=[],
    )  # fmt: skip
    async def confirm(self, request: Req, data: JSONBody[LinkBody]) -> LinkOut:
        done = await services_of(request).accounts(acc.FOLLOW_LINK, acc.LinkRequest(token=data.token))
        return LinkOut(done=done.done)

    @post(
        "/password-reset", status_code=HTTP_202_ACCEPTED,
        summary="Forgot the password: a link goes to the address, if an account has it (the answer is the same)",
        responses=problems(400, 429), security=[],
    )  # fmt: skip
    async def forgot(self, request: Req, data: JSONBody[ResetRequestBody]) -> None:
        await services_of(request).accounts(acc.FORGOT_PASSWORD, acc.ForgotPasswordRequest(email=data.email))

    @post(
        "/password-reset/complete", status_code=HTTP_204_NO_CONTENT,
        summary="Choose a new password with a reset link (every session ends)",
        responses=problems(400, 404, 429), security=[],
    )  # fmt: skip
    async def reset(self, request: Req, data: JSONBody[ResetBody]) -> None:
        req = acc.ResetPasswordRequest(token=data.token, new_password=data.new_password)
        await services_of(request).accounts(acc.RESET_PASSWORD, req)
