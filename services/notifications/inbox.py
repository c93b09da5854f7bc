"""Writing inbox items in the consumer's transaction: muted targets make none, a grouped item
grows in place and is unread again. The words and the grouping are the domain's."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from uuid import UUID

import asyncpg

from services.notifications.domain.inbox import Group, Item, Notice, item_for, item_id_for, mute_target

_MUTED = "SELECT true FROM mutes WHERE member_id = $1 AND target_kind = $2 AND target_id = $3"
_GROUP = "SELECT names, actor_ids FROM inbox WHERE notification_id = $1 FOR UPDATE"
_INSERT = (
    "INSERT INTO inbox (notification_id, member_id, kind, title, body, created_at, updated_at, about, about_id,"
    " names, actor_ids) VALUES ($1, $2, $3, $4, $5, $6, $6, $7, $8, $9, $10)"
)
_GROW = (
    "UPDATE inbox SET title = $2, body = $3, names = $4, actor_ids = $5, updated_at = greatest(updated_at, $6),"
    " read_at = NULL WHERE notification_id = $1"
)


async def deliver(conn: asyncpg.Connection, notices: Iterable[Notice], cause_event_id: UUID, at: dt.datetime) -> None:
    """Write an item for each notice whose member has not muted what it is about."""
    for notice in notices:
        target = mute_target(notice)
        if target is not None and await conn.fetchval(_MUTED, notice.member_id, *target):
            continue
        await _write(conn, notice, cause_event_id, at)


async def _write(conn: asyncpg.Connection, notice: Notice, cause_event_id: UUID, at: dt.datetime) -> None:
    row = await conn.fetchrow(_GROUP, item_id_for(notice, cause_event_id, at))
    before = None if row is None else Group(names=tuple(row["names"]), actor_ids=tuple(row["actor_ids"]))
    item = item_for(notice, cause_event_id, at, before)
    if item is None:
        return  # this person is counted in the group already
    if before is None:
        await conn.execute(_INSERT, *_fields(item), item.about, item.about_id, item.group.names, item.group.actor_ids)
    else:
        await conn.execute(
            _GROW, item.notification_id, item.title, item.body, item.group.names, item.group.actor_ids, item.at
        )


def _fields(item: Item) -> tuple[object, ...]:
    return (item.notification_id, item.member_id, item.kind, item.title, item.body, item.at)
