"""Live pages follow one notifications event: published, content-free, read by web through the
contract's view, and web's bus user may subscribe to exactly its subject."""

from __future__ import annotations

from uuid import uuid4

import pytest

from services.notifications.domain.inbox import changed
from services.notifications.events import REGISTRY, InboxChanged
from shared.bus.permissions import web_user
from shared.bus.streams import event_subject, subject_matches
from shared.contracts import notifications as n
from shared.contracts.erasure import APPLIED
from smallwins.registry import bus_users
from web.services import FOLLOWED_EVENTS

pytestmark = pytest.mark.unit


def test_the_followed_event_is_published_and_carries_nothing_but_whose_inbox_where_and_how_many() -> None:
    assert n.INBOX_CHANGED in REGISTRY.tags and not REGISTRY.is_private(n.INBOX_CHANGED)
    assert set(InboxChanged.__struct_fields__) == set(n.InboxChangedSeen.__struct_fields__)
    assert set(n.InboxChangedSeen.__struct_fields__) == {"member_id", "position", "unread"}


def test_every_other_inbox_event_stays_private() -> None:
    """Besides, the erasure event (ids only) is published, for accounts."""
    published = {tag for tag in REGISTRY.tags if not REGISTRY.is_private(tag)}
    assert published == {"notifications.notification_created.v1", n.INBOX_CHANGED, APPLIED["notifications"]}


def test_a_change_is_the_next_event_of_the_inbox_stream() -> None:
    member = uuid4()
    assert changed(member, 7, 2) == InboxChanged(member_id=member, position=8, unread=2)


def test_web_may_subscribe_to_exactly_that_notifications_subject() -> None:
    (web,) = (u for u in bus_users("sw") if u.name == "web")
    assert web.subscribe == web_user("sw", ("accounts", "stories"), FOLLOWED_EVENTS).subscribe
    subject = event_subject("sw", n.SERVICE, n.INBOX_CHANGED)
    assert any(subject_matches(allowed, subject) for allowed in web.subscribe)
    for other in ("notifications.item_noted.v1", "notifications.notification_created.v1", ">"):
        assert not any(subject_matches(a, event_subject("sw", n.SERVICE, other)) for a in web.subscribe), other
