"""The accounts events other processes follow are named once, in shared/contracts/accounts.py, and
tied here to the service's registry: a new accounts event must be sorted into one kind or the other,
so that, say, a "member suspended" event cannot leave web's cached sessions valid unnoticed."""

from __future__ import annotations

import datetime as dt
from uuid import uuid4

import msgspec
import pytest

from services.accounts.events import REGISTRY, MemberErased, MemberRegistered
from shared.contracts import accounts as acc
from shared.contracts.erasure import MEMBER_ERASED, ErasureSeen
from shared.messages import tag_of

pytestmark = pytest.mark.unit

# Every accounts event that is not in acc.SESSION_CHANGING_EVENTS, and why a session web keeps
# (who holds a token, with which roles) stays right after it. A new event goes here only with a reason.
LEAVES_SESSIONS_AS_THEY_ARE = {
    "accounts.member_registered.v1": "a member who just joined has no session anyone could have kept",
    "accounts.session_started.v2": "a new session is in nobody's cache yet (and the event is private)",
    "accounts.email_confirmed.v1": "web keeps no address in its cache (and the event is private)",
    "accounts.email_changed.v1": "web keeps no address in its cache (and the event is private)",
    "accounts.password_changed.v1": "each session it ends has its own session_ended, which web follows",
    "accounts.erasure_cancelled.v1": "no session exists while an erasure is pending (and the event is private)",
}


def test_every_accounts_event_either_changes_what_web_keeps_of_sessions_or_says_why_not() -> None:
    changing = set(acc.SESSION_CHANGING_EVENTS)
    assert not changing & LEAVES_SESSIONS_AS_THEY_ARE.keys()
    unsorted = REGISTRY.tags - changing - LEAVES_SESSIONS_AS_THEY_ARE.keys()
    assert not unsorted, f"decide whether these end or change a member's sessions: {sorted(unsorted)}"


@pytest.mark.parametrize("tag", acc.SESSION_CHANGING_EVENTS)
def test_each_session_changing_event_reaches_web_and_names_the_member(tag: str) -> None:
    assert tag in REGISTRY.tags
    assert not REGISTRY.is_private(tag), "a private event never leaves the service, so web would not hear of it"
    assert "member_id" in REGISTRY._types[tag].__struct_fields__, "web drops the member's sessions by member_id"


def test_the_member_registered_name_others_subscribe_to_is_a_published_accounts_event() -> None:
    assert acc.MEMBER_REGISTERED in REGISTRY.tags and not REGISTRY.is_private(acc.MEMBER_REGISTERED)


def test_what_others_read_of_a_registration_is_what_accounts_publishes() -> None:
    at = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    old = MemberRegistered(
        member_id=uuid4(), pseudonym="Fern", email_sealed="sealed", email_index="index", registered_at=at
    )
    assert tag_of(MemberRegistered) == acc.MEMBER_REGISTERED
    seen = msgspec.json.decode(REGISTRY.encode(old), type=acc.MemberJoined)
    assert (seen.member_id, seen.pseudonym, seen.registered_at) == (old.member_id, "Fern", at)
    # since names left the wire (ADR 34) the name is sealed: others read "" and ask accounts
    new = MemberRegistered(
        member_id=uuid4(), pseudonym_sealed="v1.x", email_sealed="sealed", email_index="index", registered_at=at
    )
    seen = msgspec.json.decode(REGISTRY.encode(new), type=acc.MemberJoined)
    assert (seen.member_id, seen.pseudonym, seen.registered_at) == (new.member_id, "", at)


def test_what_others_read_of_an_erasure_is_what_accounts_publishes() -> None:
    at = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    event = MemberErased(member_id=uuid4(), erased_at=at)
    assert tag_of(MemberErased) == MEMBER_ERASED and not REGISTRY.is_private(MEMBER_ERASED)
    assert set(MemberErased.__struct_fields__) == {"member_id", "erased_at"}  # ids only
    seen = msgspec.json.decode(REGISTRY.encode(event), type=ErasureSeen)
    assert (seen.member_id, seen.erased_at) == (event.member_id, at)
