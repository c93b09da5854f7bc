"""The journal's small rules, in the pure domain: ids, claim-code hashes, the writer's day, and
whose words are screened as a supporter's."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

import pytest

from services.journal.domain.entry import today_in
from services.journal.domain.journal import by_supporter, code_hash, own_journal_id, start_own
from services.journal.domain.journal import evolve_journal as evolve

pytestmark = pytest.mark.unit

ME, YOU = UUID(int=1), UUID(int=2)
NOW = dt.datetime(2026, 5, 4, 23, 30, tzinfo=dt.UTC)


def test_own_journal_id_is_derived_from_the_member_alone() -> None:
    assert own_journal_id(ME) == own_journal_id(UUID(int=1)) != own_journal_id(YOU)
    assert own_journal_id(ME) not in (ME, YOU)


def test_a_claim_code_is_kept_as_a_hash_of_its_trimmed_text() -> None:
    assert code_hash(" abc \n") == code_hash("abc") != code_hash("abd")
    assert "abc" not in code_hash("abc") and len(code_hash("abc")) == 64


def test_today_is_the_writers_day_and_utc_when_their_zone_is_unknown() -> None:
    assert today_in("Pacific/Auckland", NOW) == dt.date(2026, 5, 5)
    assert today_in("America/New_York", NOW) == dt.date(2026, 5, 4)
    assert today_in("Not/A_Zone", NOW) == today_in("", NOW) == dt.date(2026, 5, 4)


def test_everyone_but_the_owner_writes_as_a_supporter() -> None:
    journal = evolve(None, start_own(own_journal_id(ME), ME, NOW)[0])
    assert not by_supporter(journal, ME)
    assert by_supporter(journal, YOU) and by_supporter(None, ME)
