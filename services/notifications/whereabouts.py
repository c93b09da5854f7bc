"""What notifications keeps of other services' events for its timing: a member's time zone
(accounts' ``time_zone_set``) and when they last wrote in their own journal (the journal's
``entry_recorded`` written by the owner). Idempotent: a redelivery changes nothing (the later
moment wins); nothing is kept of a member erased here. Tables named without a schema."""

from __future__ import annotations

import asyncpg
import msgspec

from services.notifications.forgetting import SCHEMA
from shared.contracts import accounts as acc
from shared.contracts import journal_events as je
from shared.erasure import is_erased
from shared.messages import RecordedEvent


async def on_time_zone_set(conn: asyncpg.Connection, recorded: RecordedEvent) -> None:
    seen = msgspec.json.decode(recorded.data, type=acc.ZoneChosen)
    if await is_erased(conn, SCHEMA, seen.member_id):
        return
    await conn.execute(
        "INSERT INTO zones (member_id, time_zone) VALUES ($1, $2)"
        " ON CONFLICT (member_id) DO UPDATE SET time_zone = excluded.time_zone",
        seen.member_id,
        seen.time_zone,
    )


async def on_entry_recorded(conn: asyncpg.Connection, recorded: RecordedEvent) -> None:
    """The member wrote in their own journal today: no reminder today."""
    wrote = msgspec.json.decode(recorded.data, type=je.WritingSeen)
    if wrote.owner_id is None or wrote.author_id != wrote.owner_id or await is_erased(conn, SCHEMA, wrote.owner_id):
        return
    await conn.execute(
        "INSERT INTO last_wrote (member_id, wrote_at) VALUES ($1, $2)"
        " ON CONFLICT (member_id) DO UPDATE SET wrote_at = greatest(last_wrote.wrote_at, excluded.wrote_at)",
        wrote.owner_id,
        recorded.recorded_at,
    )
