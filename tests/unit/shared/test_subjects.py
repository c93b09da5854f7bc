"""NATS subject matching, as a consumer checks where a message came from."""

from __future__ import annotations

import pytest

from shared.bus.streams import subject_matches

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("pattern", "subject", "matches"),
    [
        ("sw.accounts.events.accounts.member_registered.v1", "sw.accounts.events.accounts.member_registered.v1", True),
        ("sw.accounts.events.accounts.member_registered.v1", "sw.journal.events.accounts.member_registered.v1", False),
        ("sw.scratch.events.>", "sw.scratch.events.scratch.ticked.v1", True),
        ("sw.scratch.events.>", "sw.scratch.events", False),
        ("sw.*.events.x", "sw.stories.events.x", True),
        ("sw.*.events.x", "sw.stories.more.events.x", False),
        ("sw.a", "sw.a.b", False),
    ],
)
def test_subject_matching(pattern: str, subject: str, matches: bool) -> None:
    assert subject_matches(pattern, subject) is matches
