"""Wire contract of a member's export of their stories part: everything the stories service keeps
that is theirs, opened with their key, for the member alone (docs/adr/0036-erasure-in-the-feed.md).
Web puts it beside the journal's part in the member's download."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

import msgspec

from shared.contracts.stories import SERVICE, Actor, PreferencesView
from shared.contracts.verbs import Verb


class StoryVersion(msgspec.Struct, frozen=True, kw_only=True):
    """One version of a story as its author wrote it: the first, then each revision."""

    version: int  # 1 for the story as first sent
    title: str
    body: str
    themes: tuple[str, ...]
    warnings: tuple[str, ...]
    written_at: dt.datetime


class Decision(msgspec.Struct, frozen=True, kw_only=True):
    """What moderation said to the author about a post, and their appeal (empty where there is none)."""

    reason: str = ""
    guidance: str = ""
    appeal: str = ""  # the author's appeal, in their words
    appeal_note: str = ""  # the moderator's note on deciding it


class StoryExport(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    status: str
    themes: tuple[str, ...]
    warnings: tuple[str, ...]
    submitted_at: dt.datetime
    published_at: dt.datetime | None = None
    decision: Decision = Decision()
    versions: tuple[StoryVersion, ...] = ()


class ReplyExport(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    story_id: UUID
    body: str
    status: str
    submitted_at: dt.datetime
    published_at: dt.datetime | None = None
    decision: Decision = Decision()


class EncouragementExport(msgspec.Struct, frozen=True, kw_only=True):
    story_id: UUID
    kind: str
    given_at: dt.datetime | None = None


class ReportExport(msgspec.Struct, frozen=True, kw_only=True):
    item_id: UUID
    reason: str
    note: str
    reported_at: dt.datetime


class MessageExport(msgspec.Struct, frozen=True, kw_only=True):
    """A private message moderators sent the member about something they wrote."""

    id: UUID
    item_id: UUID
    body: str
    sent_at: dt.datetime


class StoriesExport(msgspec.Struct, frozen=True, kw_only=True):
    stories: tuple[StoryExport, ...]
    replies: tuple[ReplyExport, ...]
    encouragement: tuple[EncouragementExport, ...]  # what the member gave
    reports: tuple[ReportExport, ...]  # what the member reported
    messages: tuple[MessageExport, ...]
    warnings: PreferencesView  # the content warnings the member hides and blurs


EXPORT = Verb(SERVICE, "export", Actor, StoriesExport)
"""Everything the stories service keeps of the asking member (served to web, for them alone)."""
