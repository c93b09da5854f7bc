"""Events of the accounts service. Tags are stable wire names; never rename one."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from shared.messages import Event, EventRegistry


class MemberRegistered(Event, tag="accounts.member_registered.v1", frozen=True, kw_only=True):
    member_id: UUID
    pseudonym: str
    email_sealed: str  # encrypted with the member's key
    email_index: str  # keyed hash, for look-up and uniqueness
    password_hash: str  # argon2id
    registered_at: dt.datetime


class RoleGranted(Event, tag="accounts.role_granted.v1", frozen=True, kw_only=True):
    member_id: UUID
    role: str
    granted_by: UUID | None = None
    granted_at: dt.datetime


class SessionStarted(Event, tag="accounts.session_started.v1", frozen=True, kw_only=True):
    session_id: UUID
    member_id: UUID
    token_hash: str
    started_at: dt.datetime
    expires_at: dt.datetime


class SessionEnded(Event, tag="accounts.session_ended.v1", frozen=True, kw_only=True):
    session_id: UUID
    member_id: UUID
    ended_at: dt.datetime
    reason: str = "signed_out"


MemberEvent = MemberRegistered | RoleGranted
SessionEvent = SessionStarted | SessionEnded
AccountsEvent = MemberEvent | SessionEvent

REGISTRY = EventRegistry([MemberRegistered, RoleGranted, SessionStarted, SessionEnded])


def member_stream(member_id: UUID) -> str:
    return f"member-{member_id}"


def session_stream(session_id: UUID) -> str:
    return f"session-{session_id}"
