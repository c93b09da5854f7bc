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


class TargetMuted(Event, tag="notifications.target_muted.v1", frozen=True, kw_only=True):
    """A member asked to hear no more about a story (encouragement, replies) or a journal's notes."""

    member_id: UUID
    target_kind: str
    target_id: UUID
    muted_at: dt.datetime


class TargetUnmuted(Event, tag="notifications.target_unmuted.v1", frozen=True, kw_only=True):
    member_id: UUID
    target_kind: str
    target_id: UUID
    unmuted_at: dt.datetime


NotificationEvent = NotificationCreated
MuteEvent = TargetMuted | TargetUnmuted

# What a member mutes is nobody else's business: those events stay in this service's log.
REGISTRY = EventRegistry([NotificationCreated, TargetMuted, TargetUnmuted], private=[TargetMuted, TargetUnmuted])


def inbox_stream(member_id: UUID) -> str:
    return f"inbox-{member_id}"


def mutes_stream(member_id: UUID) -> str:
    return f"mutes-{member_id}"
