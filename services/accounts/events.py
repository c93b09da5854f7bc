"""Events of the accounts service. Tags are stable wire names; never rename one.

No event carries a password, a password hash, a session token or its hash (ADR 18): those live
only in the service's credential tables. Session events are private: kept in this service's log,
never published to JetStream.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from shared.messages import Event, EventRegistry


class MemberRegistered(Event, tag="accounts.member_registered.v1", frozen=True, kw_only=True):
    member_id: UUID
    pseudonym: str
    email_sealed: str  # encrypted with the member's key
    email_index: str  # keyed hash, for look-up and uniqueness
    registered_at: dt.datetime
    # Events written before ADR 18 also hold a ``password_hash``; it is ignored when read.


class RoleGranted(Event, tag="accounts.role_granted.v1", frozen=True, kw_only=True):
    member_id: UUID
    role: str
    granted_by: UUID | None = None
    granted_at: dt.datetime


class SessionStarted(Event, tag="accounts.session_started.v2", frozen=True, kw_only=True):
    session_id: UUID
    member_id: UUID
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

REGISTRY = EventRegistry([MemberRegistered, RoleGranted, SessionStarted, SessionEnded], private=[SessionStarted])


def _session_started_v1(payload: dict[str, Any]) -> dict[str, Any]:
    """v1 carried the SHA-256 of the session token; v2 leaves it out (it stays in ``sessions``)."""
    payload.pop("token_hash", None)
    return payload


REGISTRY.register_upcaster("accounts.session_started.v1", SessionStarted, _session_started_v1)


def member_stream(member_id: UUID) -> str:
    return f"member-{member_id}"


def session_stream(session_id: UUID) -> str:
    return f"session-{session_id}"
