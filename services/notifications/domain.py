"""Notifications: what a member is told, and in what words. Pure functions."""

from __future__ import annotations

import datetime as dt
import uuid
from uuid import UUID

from services.notifications.events import NotificationCreated

_NAMESPACE = uuid.UUID("6f1c7a52-3a0e-4c64-9a53-2b8f3c1de8a1")


def notification_id_for(kind: str, cause_event_id: UUID) -> UUID:
    """The same cause always makes the same notification id: retries cannot duplicate it."""
    return uuid.uuid5(_NAMESPACE, f"{kind}:{cause_event_id}")


def welcome(member_id: UUID, pseudonym: str, cause_event_id: UUID, now: dt.datetime) -> NotificationCreated:
    return NotificationCreated(
        notification_id=notification_id_for("welcome", cause_event_id),
        member_id=member_id,
        kind="welcome",
        title=f"Welcome to Small Wins, {pseudonym}",
        body=(
            "This is your space to notice the small steps. There is no right pace and no streak "
            "to keep. When you're ready, record your first small win."
        ),
        created_at=now,
        cause_event_id=cause_event_id,
    )
