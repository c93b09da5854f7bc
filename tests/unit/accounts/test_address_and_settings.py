"""Decisions about a member's address, password and time zone: pure, given/when/then."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

import pytest

from services.accounts import domain
from services.accounts.commands import ChangeEmail, ChangePassword, ConfirmEmail, SetTimeZone
from services.accounts.events import EmailChanged, EmailConfirmed, PasswordChanged, TimeZoneSet
from shared.errors import Invalid, NotFound

pytestmark = pytest.mark.unit

NOW = dt.datetime(2026, 3, 3, 9, 30, tzinfo=dt.UTC)
ROBIN = domain.Member(member_id=UUID(int=1), pseudonym="Robin", roles=frozenset({"member"}), email_index="old")


def test_confirming_the_current_address_once() -> None:
    events = domain.confirm_email(ROBIN, ConfirmEmail(email_index="old", now=NOW))
    assert events == [EmailConfirmed(member_id=ROBIN.member_id, email_index="old", confirmed_at=NOW)]
    confirmed = domain.evolve_member(ROBIN, events[0])
    assert confirmed.email_confirmed
    assert domain.confirm_email(confirmed, ConfirmEmail(email_index="old", now=NOW)) == []


def test_a_link_for_an_address_since_replaced_is_refused() -> None:
    with pytest.raises(Invalid, match="no longer uses"):
        domain.confirm_email(ROBIN, ConfirmEmail(email_index="older", now=NOW))
    with pytest.raises(NotFound):
        domain.confirm_email(None, ConfirmEmail(email_index="old", now=NOW))


def test_a_change_of_address_leaves_it_confirmed() -> None:
    events = domain.change_email(ROBIN, ChangeEmail(email_sealed="v1.new", email_index="new", now=NOW))
    assert events == [EmailChanged(member_id=ROBIN.member_id, email_sealed="v1.new", email_index="new", changed_at=NOW)]
    moved = domain.evolve_member(ROBIN, events[0])
    assert (moved.email_index, moved.email_confirmed) == ("new", True)


def test_password_change_is_recorded_without_a_hash_and_time_zone_only_when_it_changes() -> None:
    assert domain.change_password(ROBIN, ChangePassword(now=NOW, by_link=True)) == [
        PasswordChanged(member_id=ROBIN.member_id, changed_at=NOW, by_link=True)
    ]
    events = domain.set_time_zone(ROBIN, SetTimeZone(time_zone="Europe/Berlin", now=NOW))
    assert events == [TimeZoneSet(member_id=ROBIN.member_id, time_zone="Europe/Berlin", set_at=NOW)]
    berlin = domain.evolve_member(ROBIN, events[0])
    assert domain.set_time_zone(berlin, SetTimeZone(time_zone="Europe/Berlin", now=NOW)) == []
