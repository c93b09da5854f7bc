"""Leaving Small Wins: a member's erasure, decided here (ADR 34). Pure functions over the
member's state (``domain.evolve_member`` folds the events); no I/O, no clock."""

from __future__ import annotations

import datetime as dt

from services.accounts.commands import CancelErasure, Erase, RequestErasure
from services.accounts.domain import Member, require_member
from services.accounts.events import ErasureCancelled, ErasureRequested, MemberErased, MemberEvent
from shared.errors import Conflict, Forbidden, NotFound

TOO_LATE_TO_KEEP = "The time to keep this account has passed: it is being erased now, and it can't be stopped any more."
NOT_DUE = "This account's erasure is not due yet."


def require_operator(roles: tuple[str, ...]) -> None:
    """Only an administrator (the operator's command line acts as one) erases someone at once."""
    if "admin" not in roles:
        raise Forbidden("Only an administrator may erase a member at once.")


def request_erasure(state: Member | None, cmd: RequestErasure) -> list[MemberEvent]:
    """Set the account to be erased after the grace period; asking again changes nothing."""
    member = _require_present(state)
    if member.erasure_due is not None:
        return []
    return [
        ErasureRequested(
            member_id=member.member_id, requested_at=cmd.now, due_at=cmd.now + cmd.grace,
            requested_by=cmd.requested_by,
        )
    ]  # fmt: skip


def cancel_erasure(state: Member | None, cmd: CancelErasure) -> list[MemberEvent]:
    """Keep the account: possible until the erasure is due; nothing to cancel changes nothing."""
    member = _require_present(state)
    if member.erasure_due is None:
        return []
    if cmd.now >= member.erasure_due:
        raise Conflict(TOO_LATE_TO_KEEP)
    return [ErasureCancelled(member_id=member.member_id, cancelled_at=cmd.now)]


def erase(state: Member | None, cmd: Erase) -> list[MemberEvent]:
    """Erase the member once their erasure is due, or at once for the operator (which records the
    request too); an erased member stays erased and nothing changes."""
    member = require_member(state)
    if member.erased:
        return []
    if cmd.at_once:
        request = RequestErasure(now=cmd.now, grace=dt.timedelta(0), requested_by=cmd.requested_by or member.member_id)
        asked = request_erasure(member, request)
        return [*asked, MemberErased(member_id=member.member_id, erased_at=cmd.now)]
    if member.erasure_due is None or member.erasure_due > cmd.now:
        raise Conflict(NOT_DUE)
    return [MemberErased(member_id=member.member_id, erased_at=cmd.now)]


def _require_present(state: Member | None) -> Member:
    member = require_member(state)
    if member.erased:
        raise NotFound("No such member.")
    return member
