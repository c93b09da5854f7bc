"""Leaving: erasure decided by the pure domain. Given events, when a command, then events or a refusal."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

import pytest

from services.accounts import domain, leaving
from services.accounts.commands import CancelErasure, Erase, RequestErasure, StartSession
from services.accounts.events import ErasureCancelled, ErasureRequested, MemberErased, MemberEvent, MemberRegistered
from shared.errors import Conflict, NotFound

pytestmark = pytest.mark.unit

NOW = dt.datetime(2026, 3, 3, 9, 30, tzinfo=dt.UTC)
GRACE = dt.timedelta(days=7)
MEMBER, OPERATOR = UUID(int=1), UUID(int=9)
REGISTERED = MemberRegistered(member_id=MEMBER, pseudonym_sealed="v1.n", email_sealed="v1.x", email_index="i",
                              registered_at=NOW)  # fmt: skip
ASKED = ErasureRequested(member_id=MEMBER, requested_at=NOW, due_at=NOW + GRACE, requested_by=MEMBER)


def fold(*events: MemberEvent) -> domain.Member | None:
    state = None
    for event in events:
        state = domain.evolve_member(state, event)
    return state


def test_asking_to_be_erased_sets_a_due_time_after_the_grace_period_and_asking_again_changes_nothing() -> None:
    asked = leaving.request_erasure(fold(REGISTERED), RequestErasure(now=NOW, grace=GRACE, requested_by=MEMBER))
    assert asked == [ASKED]
    later = RequestErasure(now=NOW + dt.timedelta(days=1), grace=GRACE, requested_by=MEMBER)
    assert leaving.request_erasure(fold(REGISTERED, ASKED), later) == []


def test_a_member_set_to_be_erased_cannot_start_a_session() -> None:
    with pytest.raises(Conflict):
        domain.start_session(fold(REGISTERED, ASKED), StartSession(session_id=UUID(int=2), now=NOW, lifetime=GRACE))


def test_keeping_the_account_is_possible_until_the_erasure_is_due_and_not_after() -> None:
    before = CancelErasure(now=NOW + GRACE - dt.timedelta(seconds=1))
    assert leaving.cancel_erasure(fold(REGISTERED, ASKED), before) == [
        ErasureCancelled(member_id=MEMBER, cancelled_at=before.now)
    ]
    with pytest.raises(Conflict, match="can't be stopped"):
        leaving.cancel_erasure(fold(REGISTERED, ASKED), CancelErasure(now=NOW + GRACE))
    assert leaving.cancel_erasure(fold(REGISTERED), CancelErasure(now=NOW)) == []  # nothing to cancel


def test_kept_then_asked_again_starts_a_new_grace_period() -> None:
    kept = ErasureCancelled(member_id=MEMBER, cancelled_at=NOW + dt.timedelta(days=1))
    again = RequestErasure(now=NOW + dt.timedelta(days=2), grace=GRACE, requested_by=MEMBER)
    (event,) = leaving.request_erasure(fold(REGISTERED, ASKED, kept), again)
    assert isinstance(event, ErasureRequested) and event.due_at == NOW + dt.timedelta(days=9)


def test_the_erasure_runs_only_once_due_and_an_erased_member_stays_erased() -> None:
    with pytest.raises(Conflict):
        leaving.erase(fold(REGISTERED, ASKED), Erase(now=NOW + dt.timedelta(days=6)))
    with pytest.raises(Conflict):
        leaving.erase(fold(REGISTERED), Erase(now=NOW + GRACE))  # nobody asked
    erased = leaving.erase(fold(REGISTERED, ASKED), Erase(now=NOW + GRACE))
    assert erased == [MemberErased(member_id=MEMBER, erased_at=NOW + GRACE)]
    gone = fold(REGISTERED, ASKED, *erased)
    assert leaving.erase(gone, Erase(now=NOW + GRACE, at_once=True)) == []
    with pytest.raises(NotFound):
        leaving.request_erasure(gone, RequestErasure(now=NOW, grace=GRACE, requested_by=MEMBER))


def test_the_operator_erases_at_once_and_the_request_is_recorded_with_them() -> None:
    events = leaving.erase(fold(REGISTERED), Erase(now=NOW, at_once=True, requested_by=OPERATOR))
    assert events == [
        ErasureRequested(member_id=MEMBER, requested_at=NOW, due_at=NOW, requested_by=OPERATOR),
        MemberErased(member_id=MEMBER, erased_at=NOW),
    ]
    # a member already waiting is erased without a second request
    assert leaving.erase(fold(REGISTERED, ASKED), Erase(now=NOW, at_once=True, requested_by=OPERATOR)) == [
        MemberErased(member_id=MEMBER, erased_at=NOW)
    ]
