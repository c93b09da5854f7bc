"""Accounts domain: given events, when a command, then events or a refusal. No I/O."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

import pytest

from services.accounts import domain
from services.accounts.commands import EndSession, GrantRole, RegisterMember, StartSession
from services.accounts.events import MemberRegistered, RoleGranted, SessionEnded, SessionStarted
from shared.errors import Conflict, Forbidden, Invalid, NotFound
from shared.names import pseudonym_key

pytestmark = pytest.mark.unit

NOW = dt.datetime(2026, 3, 3, 9, 30, tzinfo=dt.UTC)
MEMBER = UUID(int=1)
ADMIN = frozenset({"admin"})
SESSION = UUID(int=2)
REGISTERED = MemberRegistered(
    member_id=MEMBER, pseudonym="Robin", email_sealed="v1.x", email_index="idx", registered_at=NOW
)


def fold(*events: MemberRegistered | RoleGranted) -> domain.Member | None:
    state = None
    for event in events:
        state = domain.evolve_member(state, event)
    return state


def test_register_records_the_member_with_their_pseudonym_sealed_never_in_clear() -> None:
    cmd = RegisterMember(member_id=MEMBER, pseudonym_sealed="v1.n", email_sealed="v1.x", email_index="idx", now=NOW)
    (event,) = domain.register(None, cmd)
    assert event == MemberRegistered(
        member_id=MEMBER, pseudonym_sealed="v1.n", email_sealed="v1.x", email_index="idx", registered_at=NOW
    )
    assert isinstance(event, MemberRegistered) and event.pseudonym == ""
    # an event from before names left the wire still folds, with the name it holds
    assert fold(REGISTERED) == domain.Member(
        member_id=MEMBER, pseudonym="Robin", roles=frozenset({"member"}), email_index="idx"
    )


def test_register_twice_is_refused() -> None:
    cmd = RegisterMember(member_id=MEMBER, pseudonym_sealed="v1.n", email_sealed="v1.x", email_index="idx", now=NOW)
    with pytest.raises(Conflict):
        domain.register(fold(REGISTERED), cmd)


def test_grant_moderator_once_then_nothing_more() -> None:
    granted = domain.grant_role(
        fold(REGISTERED), GrantRole(role="moderator", granted_by=None, granter_roles=ADMIN, now=NOW)
    )
    assert granted == [RoleGranted(member_id=MEMBER, role="moderator", granted_at=NOW)]
    again = domain.grant_role(
        fold(REGISTERED, *granted), GrantRole(role="moderator", granted_by=None, granter_roles=ADMIN, now=NOW)
    )
    assert again == []


def test_only_an_admin_may_grant_a_role() -> None:
    for roles in (frozenset(), frozenset({"member"}), frozenset({"member", "moderator"})):
        with pytest.raises(Forbidden):
            domain.grant_role(
                fold(REGISTERED), GrantRole(role="moderator", granted_by=MEMBER, granter_roles=roles, now=NOW)
            )


def test_grant_unknown_role_or_to_nobody_is_refused() -> None:
    with pytest.raises(Invalid, match="Unknown role"):
        domain.grant_role(fold(REGISTERED), GrantRole(role="overlord", granted_by=None, granter_roles=ADMIN, now=NOW))
    with pytest.raises(NotFound):
        domain.grant_role(None, GrantRole(role="moderator", granted_by=None, granter_roles=ADMIN, now=NOW))


def test_sessions_start_and_end_once() -> None:
    cmd = StartSession(session_id=SESSION, now=NOW, lifetime=dt.timedelta(days=30))
    started = domain.start_session(fold(REGISTERED), cmd)
    assert started == [
        SessionStarted(session_id=SESSION, member_id=MEMBER, started_at=NOW, expires_at=NOW + dt.timedelta(days=30))
    ]
    session = domain.evolve_session(None, started[0])
    ended = domain.end_session(session, EndSession(now=NOW))
    assert ended == [SessionEnded(session_id=SESSION, member_id=MEMBER, ended_at=NOW)]
    assert domain.end_session(domain.evolve_session(session, ended[0]), EndSession(now=NOW)) == []
    assert domain.end_session(None, EndSession(now=NOW)) == []


def test_session_for_unknown_member_is_refused() -> None:
    cmd = StartSession(session_id=SESSION, now=NOW, lifetime=dt.timedelta(days=1))
    with pytest.raises(NotFound):
        domain.start_session(None, cmd)


@pytest.mark.parametrize(
    ("pseudonym", "email", "password", "fields"),
    [
        ("", "a@b.co", "0123456789", {"pseudonym"}),
        ("x", "a@b.co", "0123456789", {"pseudonym"}),
        ("x" * 33, "a@b.co", "0123456789", {"pseudonym"}),
        ("me@mail.com", "a@b.co", "0123456789", {"pseudonym"}),
        ("<script>", "a@b.co", "0123456789", {"pseudonym"}),
        ("Robin", "", "0123456789", {"email"}),
        ("Robin", "a@b", "0123456789", {"email"}),
        ("Robin", "a" * 250 + "@b.co", "0123456789", {"email"}),
        ("Robin", "a@b.co", "short", {"password"}),
        ("Robin", "a@b.co", "x" * 1025, {"password"}),
        ("", "", "", {"pseudonym", "email", "password"}),
    ],
)
def test_registration_input_is_checked_field_by_field(
    pseudonym: str, email: str, password: str, fields: set[str]
) -> None:
    with pytest.raises(Invalid) as refused:
        domain.validate_registration(pseudonym, email, password)
    assert {e.field for e in refused.value.errors} == fields
    assert all(e.message.endswith(".") for e in refused.value.errors)


def test_registration_input_is_normalized() -> None:
    assert domain.validate_registration("  Quiet   Fern ", " Fern@Example.ORG ", "0123456789") == (
        "Quiet Fern",
        "fern@example.org",
    )
    assert pseudonym_key("Quiet  FERN") == pseudonym_key("quiet fern")
    assert domain.validate_registration("O'Neil-2", "a@b.co", "0123456789")[0] == "O'Neil-2"


def test_a_pseudonym_key_is_the_same_for_composed_and_decomposed_unicode() -> None:
    composed, decomposed = "Zo\u00eb", "Zoe\u0308"
    assert composed != decomposed
    assert pseudonym_key(decomposed) == pseudonym_key(composed) == pseudonym_key("  ZO\u00cb ")
    assert pseudonym_key("\u01f0") == pseudonym_key("J\u030c")  # case folding decomposes; the key recomposes
