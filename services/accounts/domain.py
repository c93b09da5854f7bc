"""Accounts: members, roles and sessions. Pure functions; no I/O, no clock, no randomness."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import TypeVar, assert_never
from uuid import UUID

import msgspec

from services.accounts.commands import (
    ChangeEmail,
    ChangePassword,
    ConfirmEmail,
    EndSession,
    GrantRole,
    RegisterMember,
    SetTimeZone,
    StartSession,
)
from services.accounts.events import (
    EmailChanged,
    EmailConfirmed,
    ErasureCancelled,
    ErasureRequested,
    MemberErased,
    MemberEvent,
    MemberRegistered,
    PasswordChanged,
    RoleGranted,
    SessionEnded,
    SessionEvent,
    SessionStarted,
    TimeZoneSet,
)
from shared.contracts.accounts import EMAIL_MAX, PASSWORD_MAX, PASSWORD_MIN, PSEUDONYM_MAX, PSEUDONYM_MIN
from shared.errors import Conflict, FieldError, Forbidden, Invalid, NotFound

S = TypeVar("S")

ROLES = ("member", "moderator", "admin")
GRANTABLE_ROLES = ("moderator", "admin")

_PSEUDONYM_RE = re.compile(r"^[\w][\w .'\-]*[\w]$")
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")


LINK_FOR_AN_OLD_ADDRESS = "This link was sent to an address the account no longer uses."
LOCKED = "This account is set to be erased. Sign in to keep it."


class Member(msgspec.Struct, frozen=True, kw_only=True):
    member_id: UUID
    pseudonym: str  # "" once names left the wire (ADR 34): the members read model holds it
    roles: frozenset[str]
    email_index: str = ""
    email_confirmed: bool = False  # nothing but the confirmation is ever sent to an unconfirmed address
    time_zone: str = ""  # "" until the member chooses one
    erasure_due: dt.datetime | None = None  # set to be erased then (ADR 34); locked until then
    erased: bool = False

    def locked(self) -> bool:
        """Set to be erased, or erased: no session may start."""
        return self.erasure_due is not None or self.erased


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
    problems += email_problems(mail) + password_problems(password)
    if problems:
        raise Invalid("Some details need another look.", errors=tuple(problems))
    return name, mail


def email_problems(mail: str, field: str = "email") -> list[FieldError]:
    """What is wrong with a normalized address, phrased for the person typing (empty: nothing)."""
    if not mail:
        return [FieldError(field=field, message="Please enter your e-mail address.")]
    if len(mail) > EMAIL_MAX or not _EMAIL_RE.match(mail):
        return [FieldError(field=field, message="That doesn't look like an e-mail address. Please check it.")]
    return []


def password_problems(password: str, field: str = "password") -> list[FieldError]:
    if len(password) < PASSWORD_MIN:
        return [FieldError(field=field, message=f"Please use a password of at least {PASSWORD_MIN} characters.")]
    if len(password) > PASSWORD_MAX:
        return [FieldError(field=field, message=f"Please use a password of at most {PASSWORD_MAX} characters.")]
    return []


def require_fine(problems: list[FieldError], summary: str = "Some details need another look.") -> None:
    if problems:
        raise Invalid(summary, errors=tuple(problems))


def evolve_member(state: Member | None, event: MemberEvent) -> Member:
    match event:
        case MemberRegistered():
            return Member(
                member_id=event.member_id, pseudonym=event.pseudonym, roles=frozenset({"member"}),
                email_index=event.email_index,
            )  # fmt: skip
        case RoleGranted():
            member = _require(state)
            return msgspec.structs.replace(member, roles=member.roles | {event.role})
        case EmailConfirmed():
            return msgspec.structs.replace(_require(state), email_confirmed=True)
        case EmailChanged():
            return msgspec.structs.replace(_require(state), email_index=event.email_index, email_confirmed=True)
        case PasswordChanged():
            return _require(state)
        case TimeZoneSet():
            return msgspec.structs.replace(_require(state), time_zone=event.time_zone)
        case ErasureRequested():
            return msgspec.structs.replace(_require(state), erasure_due=event.due_at)
        case ErasureCancelled():
            return msgspec.structs.replace(_require(state), erasure_due=None)
        case MemberErased():
            return msgspec.structs.replace(_require(state), erased=True)
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
            pseudonym_sealed=cmd.pseudonym_sealed,
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
    if member.locked():
        raise Conflict(LOCKED)
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


def confirm_email(state: Member | None, cmd: ConfirmEmail) -> list[MemberEvent]:
    member = _require(state)
    if cmd.email_index != member.email_index:
        raise Invalid(LINK_FOR_AN_OLD_ADDRESS)
    if member.email_confirmed:
        return []  # confirmed already: following the link again changes nothing
    return [EmailConfirmed(member_id=member.member_id, email_index=cmd.email_index, confirmed_at=cmd.now)]


def change_email(state: Member | None, cmd: ChangeEmail) -> list[MemberEvent]:
    """The new address is confirmed by the link that asks for the change; the same address again
    only confirms it."""
    member = _require(state)
    if cmd.email_index == member.email_index:
        return confirm_email(member, ConfirmEmail(email_index=cmd.email_index, now=cmd.now))
    return [
        EmailChanged(
            member_id=member.member_id, email_sealed=cmd.email_sealed, email_index=cmd.email_index,
            changed_at=cmd.now,
        )
    ]  # fmt: skip


def change_password(state: Member | None, cmd: ChangePassword) -> list[MemberEvent]:
    member = _require(state)
    return [PasswordChanged(member_id=member.member_id, changed_at=cmd.now, by_link=cmd.by_link)]


def set_time_zone(state: Member | None, cmd: SetTimeZone) -> list[MemberEvent]:
    member = _require(state)
    if member.time_zone == cmd.time_zone:
        return []
    return [TimeZoneSet(member_id=member.member_id, time_zone=cmd.time_zone, set_at=cmd.now)]


def _require(state: S | None) -> S:
    if state is None:
        raise NotFound("No such member.")
    return state


def require_member(state: Member | None) -> Member:
    return _require(state)
