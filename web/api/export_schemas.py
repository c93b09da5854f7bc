"""HTTP schemas of a member's export over ``/api`` (``web/api/export.py``): the stories part, and
everything (each part under its name)."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

import msgspec

from web.api.journal_schemas import ExportOut
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


class EverythingOut(msgspec.Struct, frozen=True, kw_only=True):
    """Every part of a member's data, each as its own service keeps it (notifications' part to come)."""

    journal: ExportOut
    stories: StoriesExportOut
