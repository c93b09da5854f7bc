from __future__ import annotations

import datetime as dt
from uuid import UUID

import pytest

from services.notifications import domain

pytestmark = pytest.mark.unit


def test_welcome_is_warm_and_its_id_is_stable_per_cause() -> None:
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    first = domain.welcome(UUID(int=1), UUID(int=9), now)
    again = domain.welcome(UUID(int=1), UUID(int=9), now)
    assert first.notification_id == again.notification_id
    assert domain.welcome(UUID(int=1), UUID(int=10), now).notification_id != first.notification_id
    assert first.title == "Welcome to Small Wins"  # no name: the event is published (ADR 37)
    assert "record your first small win" in first.body
    assert "streak" in first.body  # says there is none to keep
