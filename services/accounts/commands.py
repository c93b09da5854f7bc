"""What callers ask the accounts service to do, after the web edge has parsed the input."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

import msgspec


class RegisterMember(msgspec.Struct, frozen=True, kw_only=True):
    member_id: UUID
    pseudonym_sealed: str  # sealed with the member's key: no name travels in clear (ADR 34)
    email_sealed: str
    email_index: str
    now: dt.datetime


class GrantRole(msgspec.Struct, frozen=True, kw_only=True):
    role: str
    granted_by: UUID | None
    granter_roles: frozenset[str]
    now: dt.datetime


class StartSession(msgspec.Struct, frozen=True, kw_only=True):
    session_id: UUID
    now: dt.datetime
    lifetime: dt.timedelta


class EndSession(msgspec.Struct, frozen=True, kw_only=True):
    now: dt.datetime
    reason: str = "signed_out"


class ConfirmEmail(msgspec.Struct, frozen=True, kw_only=True):
    email_index: str  # the address the link was sent to
    now: dt.datetime


class ChangeEmail(msgspec.Struct, frozen=True, kw_only=True):
    email_sealed: str
    email_index: str
    now: dt.datetime


class ChangePassword(msgspec.Struct, frozen=True, kw_only=True):
    now: dt.datetime
    by_link: bool = False


class SetTimeZone(msgspec.Struct, frozen=True, kw_only=True):
    time_zone: str  # already known to be an IANA name
    now: dt.datetime


class RequestErasure(msgspec.Struct, frozen=True, kw_only=True):
    now: dt.datetime
    grace: dt.timedelta
    requested_by: UUID


class CancelErasure(msgspec.Struct, frozen=True, kw_only=True):
    now: dt.datetime


class Erase(msgspec.Struct, frozen=True, kw_only=True):
    now: dt.datetime
    at_once: bool = False  # the operator's: no grace period, no request needed first
    requested_by: UUID | None = None
