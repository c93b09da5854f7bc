"""Read side of the notifications service."""

from __future__ import annotations

from uuid import UUID

import asyncpg
import msgspec

from shared.contracts.notifications import InboxItem

SCHEMA = "notifications"


async def inbox(conn: asyncpg.Connection, member_id: UUID, limit: int) -> tuple[InboxItem, ...]:
    rows = await conn.fetch(
        f"SELECT notification_id, kind, title, body, created_at FROM {SCHEMA}.inbox"
        " WHERE member_id = $1 ORDER BY created_at DESC LIMIT $2",
        member_id,
        limit,
    )
    return tuple(msgspec.convert(dict(r), InboxItem) for r in rows)
