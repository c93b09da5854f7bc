"""Inline read models of the notifications service, rebuildable from its log (`smallwins rebuild
notifications inbox|mutes`): the inbox (welcome notes, items told, read marks) and mutes.

Every event that changes a member's inbox is in their ``inbox-<id>`` stream, whose order the
event store keeps on a replay; a grouped item grows by the same pure rule live and on a replay
(``domain.inbox.applied``), and each change's ``InboxChanged`` stamps the items it wrote or grew
with its position (for live pages). An item names who acted as the inbox knows them when it is
written (``forgetting.actor_name``); a member who left is purged by ``MemberErased`` and never
written again (``services/notifications/forgetting.py``). Tables are named without a schema
(rebuilds point the search path)."""

from __future__ import annotations

import asyncpg

from services.notifications import forgetting
from services.notifications.domain.inbox import Group, Item, applied
from services.notifications.events import (
    AllRead,
    InboxChanged,
    ItemNoted,
    ItemRead,
    MemberErased,
    NotificationCreated,
    TargetMuted,
    TargetUnmuted,
)
from services.notifications.prefs_projection import PREFERENCES
from shared.messages import Event
from shared.projections import Projection

GROUP = "SELECT names, actor_ids FROM inbox WHERE notification_id = $1"
_INSERT = (
    "INSERT INTO inbox (notification_id, member_id, kind, title, body, created_at, updated_at, about, about_id,"
    " names, actor_ids, variant) VALUES ($1, $2, $3, $4, $5, $6, $6, $7, $8, $9, $10, $11)"
)
_GROW = (
    "UPDATE inbox SET title = $2, body = $3, names = $4, actor_ids = $5, updated_at = greatest(updated_at, $6),"
    " read_at = NULL, position = NULL WHERE notification_id = $1"
)
_READ = "UPDATE inbox SET read_at = $3 WHERE notification_id = $1 AND member_id = $2 AND read_at IS NULL"
_READ_ALL = "UPDATE inbox SET read_at = $2 WHERE member_id = $1 AND read_at IS NULL"
# An item written or grown has no position until the inbox_changed event after it stamps it.
_STAMP = "UPDATE inbox SET position = $2 WHERE member_id = $1 AND position IS NULL"
_HEAD = (
    "INSERT INTO inbox_heads (member_id, position, unread) VALUES ($1, $2, $3)"
    " ON CONFLICT (member_id) DO UPDATE SET position = $2, unread = $3"
)


async def _apply_inbox(conn: asyncpg.Connection, event: Event) -> None:
    match event:
        case MemberErased():
            await forgetting.inbox(conn, event.member_id)
        case ItemNoted():
            await _noted(conn, event)
        case NotificationCreated() | ItemRead() | AllRead() | InboxChanged():
            if await forgetting.kept(conn, event.member_id):
                await _changed(conn, event)


async def _changed(conn: asyncpg.Connection, event: NotificationCreated | ItemRead | AllRead | InboxChanged) -> None:
    match event:
        case NotificationCreated():
            await conn.execute(
                "INSERT INTO inbox (notification_id, member_id, kind, title, body, created_at, updated_at)"
                " VALUES ($1, $2, $3, $4, $5, $6, $6)",
                event.notification_id,
                event.member_id,
                event.kind,
                event.title,
                event.body,
                event.created_at,
            )
        case ItemRead():
            await conn.execute(_READ, event.notification_id, event.member_id, event.read_at)
        case AllRead():
            await conn.execute(_READ_ALL, event.member_id, event.read_at)
        case InboxChanged():
            await conn.execute(_STAMP, event.member_id, event.position)
            await conn.execute(_HEAD, event.member_id, event.position, event.unread)


async def _noted(conn: asyncpg.Connection, event: ItemNoted) -> None:
    """Write the item, or grow it (unread and newest again) when it groups; nothing for a member
    who has left."""
    name = await forgetting.actor_name(conn, event)
    if name is None:
        return
    row = await conn.fetchrow(GROUP + " FOR UPDATE", event.notification_id)
    before = None if row is None else Group(names=tuple(row[0]), actor_ids=tuple(row[1]))
    item = applied(event, before, name)
    if item is None:
        return  # this person is counted in the group already
    if before is None:
        await conn.execute(_INSERT, *_fields(item))
    else:
        await conn.execute(
            _GROW, item.notification_id, item.title, item.body, item.group.names, item.group.actor_ids, item.at
        )


def _fields(item: Item) -> tuple[object, ...]:
    return (
        item.notification_id, item.member_id, item.kind, item.title, item.body, item.at, item.about, item.about_id,
        item.group.names, item.group.actor_ids, item.variant,
    )  # fmt: skip


async def _apply_mutes(conn: asyncpg.Connection, event: Event) -> None:
    match event:
        case MemberErased():
            await forgetting.mutes(conn, event.member_id)
        case TargetMuted() | TargetUnmuted():
            if await forgetting.kept(conn, event.member_id):  # a member who has left mutes nothing
                await _muted(conn, event)


async def _muted(conn: asyncpg.Connection, event: TargetMuted | TargetUnmuted) -> None:
    match event:
        case TargetMuted():
            await conn.execute(
                "INSERT INTO mutes (member_id, target_kind, target_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                event.member_id,
                event.target_kind,
                event.target_id,
            )
        case TargetUnmuted():
            await conn.execute(
                "DELETE FROM mutes WHERE member_id = $1 AND target_kind = $2 AND target_id = $3",
                event.member_id,
                event.target_kind,
                event.target_id,
            )


INBOX = Projection(name="inbox", tables=("inbox", "inbox_heads"), apply=_apply_inbox)
"""The inbox. It reads ``people`` (how it names who acted) and the kernel's ``erased``: a rebuild
leaves both as they are."""
MUTES = Projection(name="mutes", tables=("mutes",), apply=_apply_mutes)
PROJECTIONS = (INBOX, MUTES, PREFERENCES)
