"""A member's notifications part, for their download (docs/adr/0037-erasure-in-notifications.md):
their own inbox in the words they were shown, how they chose to hear things, what they muted."""

from __future__ import annotations

from uuid import UUID

import asyncpg
import msgspec

from services.notifications.domain.preferences import DEFAULTS
from services.notifications.prefs_projection import READ, decoded
from services.notifications.schedule import zone_of_member
from shared.bus.rpc import CallContext
from shared.contracts.notifications_export import (
    ExportRequest,
    InboxItemExport,
    MuteExport,
    NotificationsExport,
)

_ITEMS = (
    "SELECT kind, title, body, read_at IS NOT NULL AS read, read_at, created_at, updated_at FROM inbox"
    " WHERE member_id = $1 ORDER BY updated_at DESC, notification_id DESC"
)
_MUTES = "SELECT target_kind, target_id FROM mutes WHERE member_id = $1 ORDER BY target_kind, target_id"


async def export(conn: asyncpg.Connection, member: UUID) -> NotificationsExport:
    items = [msgspec.convert(dict(r), InboxItemExport) for r in await conn.fetch(_ITEMS, member)]
    muted = [msgspec.convert(dict(r), MuteExport) for r in await conn.fetch(_MUTES, member)]
    return NotificationsExport(
        items=tuple(items), preferences=decoded(await conn.fetchval(READ, member)) or DEFAULTS,
        time_zone=await zone_of_member(conn, member), muted=tuple(muted),
    )  # fmt: skip


class ExportReads:
    """The verb: the acting member's own part, read in one snapshot."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def export(self, req: ExportRequest, ctx: CallContext) -> NotificationsExport:
        async with self._pool.acquire() as conn, conn.transaction(isolation="repeatable_read", readonly=True):
            return await export(conn, req.actor_id)
