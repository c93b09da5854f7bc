"""HTTP schemas of the JSON API: separate from wire contracts and events, mapped explicitly."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

import msgspec

from shared.contracts.accounts import MemberView
from shared.contracts.notifications import InboxItem
from web.api.limits import Email, Name, Password


class RegisterBody(msgspec.Struct, frozen=True, kw_only=True):
    pseudonym: Name
    email: Email
    password: Password


class SignInBody(msgspec.Struct, frozen=True, kw_only=True):
    email: Email
    password: Password
    # An account set to be erased is locked: signing in is refused (409) unless this is true,
    # which keeps the account (nothing is erased) and signs in as usual.
    keep_account: bool = False


class MemberOut(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    pseudonym: str
    roles: list[str]

    @classmethod
    def of(cls, view: MemberView) -> MemberOut:
        return cls(id=view.member_id, pseudonym=view.pseudonym, roles=list(view.roles))


class SessionOut(msgspec.Struct, frozen=True, kw_only=True):
    token: str
    expires_at: dt.datetime
    member: MemberOut


class NotificationOut(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    kind: str
    title: str
    body: str
    created_at: dt.datetime

    @classmethod
    def of(cls, item: InboxItem) -> NotificationOut:
        return cls(
            id=item.notification_id, kind=item.kind, title=item.title, body=item.body, created_at=item.created_at
        )


class ProblemField(msgspec.Struct, frozen=True, kw_only=True):
    field: str
    message: str


class Problem(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """RFC 9457 problem details."""

    title: str
    status: int
    detail: str
    type: str = "about:blank"
    errors: list[ProblemField] = []
