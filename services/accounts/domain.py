"""Accounts: members, roles and sessions. Pure functions; no I/O, no clock, no randomness."""

from __future__ import annotations

import re
import unicodedata
from typing import TypeVar, assert_never
from uuid import UUID

import msgspec

from services.accounts.commands import EndSession, GrantRole, RegisterMember, StartSession
from services.accounts.events import (
    MemberEvent,
    MemberRegistered,
    RoleGranted,
    SessionEnded,
    SessionEvent,
    SessionStarted,
)
from shared.contracts.accounts import EMAIL_MAX, PASSWORD_MAX, PASSWORD_MIN, PSEUDONYM_MAX, PSEUDONYM_MIN
from shared.errors import Conflict, FieldError, Forbidden, Invalid, NotFound

S = TypeVar("S")

ROLES = ("member", "moderator", "admin")
GRANTABLE_ROLES = ("moderator", "admin")

_PSEUDONYM_RE = re.compile(r"^[\w][\w .'\-]*[\w]$")
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")


class Member(msgspec.Struct, frozen=True, kw_only=True):
    member_id: UUID
    pseudonym: str
    roles: frozenset[str]


class Session(msgspec.Struct, frozen=True, kw_only=True):
    session_id: UUID
    member_id: UUID
    ended: bool


def normalize_pseudonym(raw: str) -> str:
    return " ".join(unicodedata.normalize("NFC", raw).split())


def normalize_email(raw: str) -> str:
    return raw.strip().lower()


def validate_registration(pseudonym: str, email: str, password: str) -> tuple[str, str]:
    """Check sign-up input; return the normalized pseudonym and e-mail.

    Raises ``Invalid`` listing every problem at once, each phrased for the person typing.
    """
    name, mail = normalize_pseudonym(pseudonym), normalize_email(email)
    problems: list[FieldError] = []
    if len(name) < PSEUDONYM_MIN:
        problems.append(FieldError(field="pseudonym", message="Please choose a pseudonym of at least 2 characters."))
    elif len(name) > PSEUDONYM_MAX:
        problems.append(
            FieldError(field="pseudonym", message=f"Please keep your pseudonym to {PSEUDONYM_MAX} characters or fewer.")
        )
    elif not _PSEUDONYM_RE.match(name) or "@" in name:
        problems.append(
            FieldError(
                field="pseudonym", message="A pseudonym can use letters, numbers, spaces, dots, dashes and apostrophes."
            )
        )
    if not mail:
        problems.append(FieldError(field="email", message="Please enter your e-mail address."))
    elif len(mail) > EMAIL_MAX or not _EMAIL_RE.match(mail):
        problems.append(FieldError(field="email", message="That doesn't look like an e-mail address. Please check it."))
    if len(password) < PASSWORD_MIN:
        problems.append(
            FieldError(field="password", message=f"Please use a password of at least {PASSWORD_MIN} characters.")
        )
    elif len(password) > PASSWORD_MAX:
        problems.append(
            FieldError(field="password", message=f"Please use a password of at most {PASSWORD_MAX} characters.")
        )
    if problems:
        raise Invalid("Some details need another look.", errors=tuple(problems))
    return name, mail


def evolve_member(state: Member | None, event: MemberEvent) -> Member:
    match event:
        case MemberRegistered():
            return Member(member_id=event.member_id, pseudonym=event.pseudonym, roles=frozenset({"member"}))
        case RoleGranted():
            member = _require(state)
            return msgspec.structs.replace(member, roles=member.roles | {event.role})
        case _:
            assert_never(event)


def evolve_session(state: Session | None, event: SessionEvent) -> Session:
    match event:
        case SessionStarted():
            return Session(session_id=event.session_id, member_id=event.member_id, ended=False)
        case SessionEnded():
            return msgspec.structs.replace(_require(state), ended=True)
        case _:
            assert_never(event)


def register(state: Member | None, cmd: RegisterMember) -> list[MemberEvent]:
    if state is not None:
        raise Conflict("This member is already registered.")
    return [
        MemberRegistered(
            member_id=cmd.member_id,
            pseudonym=cmd.pseudonym,
            email_sealed=cmd.email_sealed,
            email_index=cmd.email_index,
            registered_at=cmd.now,
        )
    ]


def require_admin(roles: tuple[str, ...] | frozenset[str]) -> None:
    """Only an administrator (the operator's command line acts as one) may grant a role."""
    if "admin" not in roles:
        raise Forbidden("Only an administrator may grant a role.")


def grant_role(state: Member | None, cmd: GrantRole) -> list[MemberEvent]:
    require_admin(cmd.granter_roles)
    member = _require(state)
    if cmd.role not in GRANTABLE_ROLES:
        raise Invalid(f"Unknown role {cmd.role!r}; choose one of {', '.join(GRANTABLE_ROLES)}.")
    if cmd.role in member.roles:
        return []  # already has it: granting again changes nothing
    return [RoleGranted(member_id=member.member_id, role=cmd.role, granted_by=cmd.granted_by, granted_at=cmd.now)]


def start_session(state: Member | None, cmd: StartSession) -> list[SessionEvent]:
    member = _require(state)
    return [
        SessionStarted(
            session_id=cmd.session_id,
            member_id=member.member_id,
            started_at=cmd.now,
            expires_at=cmd.now + cmd.lifetime,
        )
    ]


def end_session(state: Session | None, cmd: EndSession) -> list[SessionEvent]:
    if state is None or state.ended:
        return []  # signing out twice is not an error
    return [SessionEnded(session_id=state.session_id, member_id=state.member_id, ended_at=cmd.now, reason=cmd.reason)]


def _require(state: S | None) -> S:
    if state is None:
        raise NotFound("No such member.")
    return state
