"""Wire contract of a member's export of their notifications part: their own inbox and how they chose
to hear things, for the member alone (docs/adr/0037-erasure-in-notifications.md). Web puts it beside
the journal's and the stories' parts in the member's download."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

import msgspec

from shared.contracts.common import Acted
from shared.contracts.notification_prefs import SERVICE, Preferences
from shared.contracts.verbs import Verb


class ExportRequest(Acted, frozen=True, kw_only=True):
    """Everything the notifications service keeps of the acting member."""


class InboxItemExport(msgspec.Struct, frozen=True, kw_only=True):
    """One item of the member's inbox, in the words they were shown."""

    kind: str
    title: str
    body: str
    read: bool
    read_at: dt.datetime | None = None
    created_at: dt.datetime
    updated_at: dt.datetime  # when it last changed (a grouped item grows)


class MuteExport(msgspec.Struct, frozen=True, kw_only=True):
    """Something the member chose to hear no more about: a story or a journal."""

    target_kind: str
    target_id: UUID


class NotificationsExport(msgspec.Struct, frozen=True, kw_only=True):
    items: tuple[InboxItemExport, ...]  # newest (or newly grown) first
    preferences: Preferences  # per kind, quiet hours, the daily e-mail's hour, reminders (the defaults until chosen)
    time_zone: str = ""  # the zone those times follow ("" until chosen: UTC)
    muted: tuple[MuteExport, ...] = ()


EXPORT = Verb(SERVICE, "export", ExportRequest, NotificationsExport)
"""Everything the notifications service keeps of the asking member (served to web, for them alone)."""
