"""Queries the notifications service answers."""

from __future__ import annotations

import asyncpg

from services.notifications import queries
from shared.bus.rpc import CallContext
from shared.contracts.notifications import InboxRequest, InboxView


class NotificationsHandlers:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def inbox(self, req: InboxRequest, ctx: CallContext) -> InboxView:
        async with self._pool.acquire() as conn:
            items = await queries.inbox(conn, req.actor_id, min(max(req.limit, 1), 100))
        return InboxView(items=items)
