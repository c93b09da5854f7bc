"""Events of the notifications service."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from shared.messages import Event, EventRegistry


class NotificationCreated(Event, tag="notifications.notification_created.v1", frozen=True, kw_only=True):
    notification_id: UUID
    member_id: UUID
    kind: str
    title: str
    body: str
    created_at: dt.datetime
    cause_event_id: UUID | None = None


NotificationEvent = NotificationCreated

REGISTRY = EventRegistry([NotificationCreated])


def inbox_stream(member_id: UUID) -> str:
    return f"inbox-{member_id}"
