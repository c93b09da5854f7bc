"""Inline read model of the notifications service: the inbox."""

from __future__ import annotations

import asyncpg

from services.notifications.events import NotificationCreated
from shared.messages import Event
from shared.projections import Projection


async def _apply_inbox(conn: asyncpg.Connection, event: Event) -> None:
    match event:
        case NotificationCreated():
            await conn.execute(
                "INSERT INTO inbox (notification_id, member_id, kind, title, body,"
                " created_at) VALUES ($1, $2, $3, $4, $5, $6)",
                event.notification_id,
                event.member_id,
                event.kind,
                event.title,
                event.body,
                event.created_at,
            )


INBOX = Projection(name="inbox", tables=("inbox",), apply=_apply_inbox)
PROJECTIONS = (INBOX,)
