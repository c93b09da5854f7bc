from __future__ import annotations

import datetime as dt
from uuid import UUID

import msgspec

SERVICE = "notifications"


class InboxRequest(msgspec.Struct, frozen=True, kw_only=True):
    member_id: UUID
    limit: int = 20


class InboxItem(msgspec.Struct, frozen=True, kw_only=True):
    notification_id: UUID
    kind: str
    title: str
    body: str
    created_at: dt.datetime


class InboxView(msgspec.Struct, frozen=True, kw_only=True):
    items: tuple[InboxItem, ...]
