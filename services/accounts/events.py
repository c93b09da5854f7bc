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
    # "" since names left the wire (ADR 34): the pseudonym is sealed with the member's key, so that
    # erasing the key takes it out of the log and every copy of the stream. Older events hold it here.
    pseudonym: str = ""
    pseudonym_sealed: str = ""
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


class EmailConfirmed(Event, tag="accounts.email_confirmed.v1", frozen=True, kw_only=True):
    """The member followed the link sent to their address: mail may go to it from now on."""

    member_id: UUID
    email_index: str  # which address was confirmed (a link to an address since replaced is refused)
    confirmed_at: dt.datetime


class EmailChanged(Event, tag="accounts.email_changed.v1", frozen=True, kw_only=True):
    """The member confirmed a new address (by its link); it replaces the old one, confirmed."""

    member_id: UUID
    email_sealed: str  # encrypted with the member's key
    email_index: str
    changed_at: dt.datetime


class PasswordChanged(Event, tag="accounts.password_changed.v1", frozen=True, kw_only=True):
    """That and when, never the hash (ADR 18); ``by_link``: reset through a mailed link."""

    member_id: UUID
    changed_at: dt.datetime
    by_link: bool = False


class TimeZoneSet(Event, tag="accounts.time_zone_set.v1", frozen=True, kw_only=True):
    member_id: UUID
    time_zone: str  # an IANA name, e.g. "Europe/Berlin"
    set_at: dt.datetime


class ErasureRequested(Event, tag="accounts.erasure_requested.v1", frozen=True, kw_only=True):
    """The member (or the operator, ``requested_by``) asked for the account to be erased, at
    ``due_at``; until then it is locked, and signing in offers to keep it (ADR 34)."""

    member_id: UUID
    requested_at: dt.datetime
    due_at: dt.datetime
    requested_by: UUID | None = None


class ErasureCancelled(Event, tag="accounts.erasure_cancelled.v1", frozen=True, kw_only=True):
    member_id: UUID
    cancelled_at: dt.datetime


class MemberErased(Event, tag="accounts.member_erased.v1", frozen=True, kw_only=True):
    """The member is gone: their key, sign-in and address here, and, as each service follows this,
    everything they kept elsewhere. Ids only (``shared.contracts.erasure.MEMBER_ERASED``)."""

    member_id: UUID
    erased_at: dt.datetime


MemberEvent = (
    MemberRegistered | RoleGranted | EmailConfirmed | EmailChanged | PasswordChanged | TimeZoneSet
    | ErasureRequested | ErasureCancelled | MemberErased
)  # fmt: skip
SessionEvent = SessionStarted | SessionEnded
AccountsEvent = MemberEvent | SessionEvent

# Private (kept in this service's log, never published): who signs in when, and everything about
# a member's address and password; nobody else needs it, and the address has its own verb (ADR 28).
REGISTRY = EventRegistry(
    [
        MemberRegistered, RoleGranted, SessionStarted, SessionEnded,
        EmailConfirmed, EmailChanged, PasswordChanged, TimeZoneSet,
        ErasureRequested, ErasureCancelled, MemberErased,
    ],
    # erasure_requested is published: web drops the member's cached sessions when it hears it
    private=[SessionStarted, EmailConfirmed, EmailChanged, PasswordChanged, ErasureCancelled],
)  # fmt: skip


def _session_started_v1(payload: dict[str, Any]) -> dict[str, Any]:
    """v1 carried the SHA-256 of the session token; v2 leaves it out (it stays in ``sessions``)."""
    payload.pop("token_hash", None)
    return payload


REGISTRY.register_upcaster("accounts.session_started.v1", SessionStarted, _session_started_v1)


def member_stream(member_id: UUID) -> str:
    return f"member-{member_id}"


def session_stream(session_id: UUID) -> str:
    return f"session-{session_id}"
