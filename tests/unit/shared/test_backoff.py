"""The one doubling delay that the relay, the consumers and the supervisor wait by."""

from __future__ import annotations

import pytest

from shared.backoff import backoff

pytestmark = pytest.mark.unit


def test_the_delay_doubles_from_its_base_up_to_its_cap() -> None:
    assert [backoff(n, 0.2, 5.0) for n in range(1, 8)] == [0.2, 0.4, 0.8, 1.6, 3.2, 5.0, 5.0]


def test_a_first_or_uncounted_attempt_waits_the_base() -> None:
    assert backoff(0, 0.5, 30.0) == backoff(1, 0.5, 30.0) == 0.5
