"""HTTP schemas of a member's export over ``/api`` (``web/api/export.py``): the stories part, the
notifications part, and everything (each part under its name)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated
from uuid import UUID

import msgspec

from shared.contracts import notification_prefs as p
from shared.contracts import notifications_export as nx
from web.api.journal_schemas import ExportOut
from web.api.notifications import PreferencesOut as NotificationSettingsOut
from web.api.notifications import preferences_out
from web.api.stories_schemas import PreferencesOut


class StoryVersionOut(msgspec.Struct, frozen=True, kw_only=True):
    version: int
    title: str
    body: str
    themes: list[str]
    warnings: list[str]
    written_at: dt.datetime


class DecisionOut(msgspec.Struct, frozen=True, kw_only=True):
    reason: str
    guidance: str
    appeal: str
    appeal_note: str


class StoryExportOut(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    status: str
    themes: list[str]
    warnings: list[str]
    submitted_at: dt.datetime
    published_at: dt.datetime | None
    decision: DecisionOut
    versions: list[StoryVersionOut]


class ReplyExportOut(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    story_id: UUID
    body: str
    status: str
    submitted_at: dt.datetime
    published_at: dt.datetime | None
    decision: DecisionOut


class EncouragementExportOut(msgspec.Struct, frozen=True, kw_only=True):
    story_id: UUID
    kind: str
    given_at: dt.datetime | None


class ReportExportOut(msgspec.Struct, frozen=True, kw_only=True):
    item_id: UUID
    reason: str
    note: str
    reported_at: dt.datetime


class MessageExportOut(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    item_id: UUID
    body: str
    sent_at: dt.datetime


class StoriesExportOut(msgspec.Struct, frozen=True, kw_only=True):
    stories: list[StoryExportOut]
    replies: list[ReplyExportOut]
    encouragement: list[EncouragementExportOut]
    reports: list[ReportExportOut]
    messages: list[MessageExportOut]
    warnings: PreferencesOut


class InboxItemExportOut(msgspec.Struct, frozen=True, kw_only=True):
    kind: str
    title: str
    body: str
    read: bool
    read_at: dt.datetime | None
    created_at: dt.datetime
    updated_at: Annotated[dt.datetime, msgspec.Meta(description="When it last changed (a grouped item grows)")]


class MuteExportOut(msgspec.Struct, frozen=True, kw_only=True):
    target_kind: str
    target_id: UUID


class NotificationsExportOut(msgspec.Struct, frozen=True, kw_only=True):
    items: Annotated[list[InboxItemExportOut], msgspec.Meta(description="Every inbox item, newest first")]
    settings: NotificationSettingsOut
    muted: list[MuteExportOut]


def notifications_out(view: nx.NotificationsExport) -> NotificationsExportOut:
    settings = p.PreferencesView(preferences=view.preferences, time_zone=view.time_zone)
    return NotificationsExportOut(
        items=[msgspec.convert(i, InboxItemExportOut, from_attributes=True) for i in view.items],
        settings=preferences_out(settings),
        muted=[MuteExportOut(target_kind=m.target_kind, target_id=m.target_id) for m in view.muted],
    )


class EverythingOut(msgspec.Struct, frozen=True, kw_only=True):
    """Every part of a member's data, each as its own service keeps it."""

    journal: ExportOut
    stories: StoriesExportOut
    notifications: NotificationsExportOut
