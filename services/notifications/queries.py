"""Read side of the notifications service: SQL -> views, and the queries it answers over NATS."""

from __future__ import annotations

from uuid import UUID

import asyncpg
import msgspec

from shared.bus.rpc import CallContext
from shared.contracts.notifications import InboxItem, InboxRequest, InboxView

SCHEMA = "notifications"
MAX_INBOX = 100


async def inbox(conn: asyncpg.Connection, member_id: UUID, limit: int) -> InboxView:
    """The member's newest notifications, at least one and at most ``MAX_INBOX`` of them."""
    rows = await conn.fetch(
        f"SELECT notification_id, kind, title, body, created_at FROM {SCHEMA}.inbox"
        " WHERE member_id = $1 ORDER BY created_at DESC LIMIT $2",
        member_id,
        min(max(limit, 1), MAX_INBOX),
    )
    return InboxView(items=tuple(msgspec.convert(dict(r), InboxItem) for r in rows))


class NotificationsReads:
    """The queries the service answers, each about the acting member's own notifications."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def inbox(self, req: InboxRequest, ctx: CallContext) -> InboxView:
        async with self._pool.acquire() as conn:
            return await inbox(conn, req.actor_id, req.limit)
