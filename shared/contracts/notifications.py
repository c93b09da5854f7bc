from __future__ import annotations

import datetime as dt
from uuid import UUID

import msgspec

from shared.contracts.common import Acted
from shared.contracts.verbs import Verb

SERVICE = "notifications"


class InboxRequest(Acted, frozen=True, kw_only=True):
    """The acting member's own inbox (who acts comes from the actor header)."""

    limit: int = 20


class InboxItem(msgspec.Struct, frozen=True, kw_only=True):
    notification_id: UUID
    kind: str
    title: str
    body: str
    created_at: dt.datetime


class InboxView(msgspec.Struct, frozen=True, kw_only=True):
    items: tuple[InboxItem, ...]


INBOX = Verb(SERVICE, "inbox", InboxRequest, InboxView)  # served by services/notifications/endpoints.py
