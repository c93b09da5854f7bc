"""Notifications: what a member is told, and in what words. Pure functions: the welcome here,
the inbox's items in ``inbox``, their words in ``wording``, who is told what in ``rules``."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from services.notifications.domain.inbox import notification_id_for
from services.notifications.events import NotificationCreated

__all__ = ["notification_id_for", "welcome"]


def welcome(member_id: UUID, cause_event_id: UUID, now: dt.datetime) -> NotificationCreated:
    """The first note in a new member's inbox. It greets without their pseudonym: the event is
    published, and a name in it would outlive their erasure in JetStream (ADR 37)."""
    return NotificationCreated(
        notification_id=notification_id_for("welcome", cause_event_id),
        member_id=member_id,
        kind="welcome",
        title="Welcome to Small Wins",
        body=(
            "This is your space to notice the small steps. There is no right pace and no streak "
            "to keep. When you're ready, record your first small win."
        ),
        created_at=now,
        cause_event_id=cause_event_id,
    )
