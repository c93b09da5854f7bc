"""NATS subject matching, as a consumer checks where a message came from."""

from __future__ import annotations

import pytest

from shared.bus.streams import event_subject, event_type_of, subject_matches

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


@pytest.mark.parametrize(
    ("subject", "event_type"),
    [
        (event_subject("sw", "accounts", "accounts.member_registered.v1"), "accounts.member_registered.v1"),
        ("sw.stories.events.stories.post_approved.v1", "stories.post_approved.v1"),
        ("sw.stories.relay.wake", ""),
        ("sw.svc.stories.feed", ""),
    ],
)
def test_an_event_subject_is_read_back_to_its_event_type(subject: str, event_type: str) -> None:
    assert event_type_of(subject) == event_type
