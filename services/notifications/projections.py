"""Inline read models of the notifications service: welcome notes in the inbox, and mutes.

The inbox's other items are written by its consumers (``services.notifications.inbox``)."""

from __future__ import annotations

import asyncpg

from services.notifications.events import NotificationCreated, TargetMuted, TargetUnmuted
from shared.messages import Event
from shared.projections import Projection


async def _apply_inbox(conn: asyncpg.Connection, event: Event) -> None:
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


async def _apply_mutes(conn: asyncpg.Connection, event: Event) -> None:
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


INBOX = Projection(name="inbox", tables=("inbox",), apply=_apply_inbox)
MUTES = Projection(name="mutes", tables=("mutes",), apply=_apply_mutes)
PROJECTIONS = (INBOX, MUTES)
