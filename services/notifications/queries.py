"""Read side of the notifications service: SQL -> views, and the queries it answers over NATS."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

import asyncpg
import msgspec

from shared.bus.rpc import CallContext
from shared.contracts.notifications import (
    PAGE_DEFAULT,
    ChangesRequest,
    ChangesView,
    InboxItem,
    InboxRequest,
    InboxView,
    UnreadRequest,
    UnreadView,
)
from shared.errors import Invalid

SCHEMA = "notifications"
_ITEMS = (
    f"SELECT i.notification_id, i.kind, i.title, i.body, i.created_at, i.updated_at, i.read_at IS NOT NULL AS read,"
    f" i.about, i.about_id, m.member_id IS NOT NULL AS muted FROM {SCHEMA}.inbox i"
    f" LEFT JOIN {SCHEMA}.mutes m ON m.member_id = i.member_id AND m.target_kind = i.about"
    " AND m.target_id = i.about_id"
)
_NEWEST = " ORDER BY i.updated_at DESC, i.notification_id DESC"
_PAGE = _ITEMS + " WHERE i.member_id = $1 AND (i.updated_at, i.notification_id) < ($2, $3)" + _NEWEST + " LIMIT $4"
_UNREAD = f"SELECT count(*) FROM {SCHEMA}.inbox WHERE member_id = $1 AND read_at IS NULL"
_HEAD = f"SELECT position, unread FROM {SCHEMA}.inbox_heads WHERE member_id = $1"
_CHANGED = _ITEMS + " WHERE i.member_id = $1 AND i.position > $2" + _NEWEST + " LIMIT $3"
_END = (dt.datetime.max.replace(tzinfo=dt.UTC), UUID(int=(1 << 128) - 1))


def cursor_of(item: InboxItem) -> str:
    return f"{(item.updated_at or item.created_at).isoformat()}|{item.notification_id}"


def _after(cursor: str) -> tuple[dt.datetime, UUID]:
    if not cursor:
        return _END
    when, _, nid = cursor.partition("|")
    try:
        return dt.datetime.fromisoformat(when), UUID(nid)
    except ValueError as exc:
        raise Invalid("That page of your inbox does not exist; start again from the newest.") from exc


async def inbox(conn: asyncpg.Connection, member_id: UUID, limit: int, cursor: str = "") -> InboxView:
    """A page of the member's items, newest (or newly grown) first, and how many are unread."""
    rows = await conn.fetch(_PAGE, member_id, *_after(cursor), limit + 1)
    items = tuple(msgspec.convert(dict(r), InboxItem) for r in rows[:limit])
    more = cursor_of(items[-1]) if len(rows) > limit else ""
    return InboxView(items=items, next_cursor=more, unread=await conn.fetchval(_UNREAD, member_id))


async def changes(conn: asyncpg.Connection, member_id: UUID, after: int) -> ChangesView:
    """Where the member's inbox is, and the items written or grown after position ``after``; from
    now (no items) when ``after`` is -1 or a position the inbox has not reached."""
    head = await conn.fetchrow(_HEAD, member_id)
    position, unread = (head["position"], head["unread"]) if head else (0, 0)
    if after < 0 or after >= position:
        return ChangesView(position=position, unread=unread)
    rows = await conn.fetch(_CHANGED, member_id, after, PAGE_DEFAULT)
    items = tuple(msgspec.convert(dict(r), InboxItem) for r in rows)
    return ChangesView(position=position, unread=unread, items=items)


class NotificationsReads:
    """The queries the service answers, each about the acting member's own notifications."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def inbox(self, req: InboxRequest, ctx: CallContext) -> InboxView:
        async with self._pool.acquire() as conn:
            return await inbox(conn, req.actor_id, req.limit, req.cursor)

    async def unread(self, req: UnreadRequest, ctx: CallContext) -> UnreadView:
        return UnreadView(count=await self._pool.fetchval(_UNREAD, req.actor_id))

    async def changes(self, req: ChangesRequest, ctx: CallContext) -> ChangesView:
        async with self._pool.acquire() as conn, conn.transaction(isolation="repeatable_read", readonly=True):
            return await changes(conn, req.actor_id, req.after)
