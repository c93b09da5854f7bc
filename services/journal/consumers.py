"""The journal's view of other services' events: who is who (for invitations and names)."""

from __future__ import annotations

import asyncpg
import msgspec

from shared.contracts import accounts as acc
from shared.messages import RecordedEvent
from shared.names import pseudonym_key


async def on_member_registered(conn: asyncpg.Connection, recorded: RecordedEvent) -> None:
    seen = msgspec.json.decode(recorded.data, type=acc.MemberJoined)
    await conn.execute(
        "INSERT INTO people (member_id, pseudonym, pseudonym_key) VALUES ($1, $2, $3)"
        " ON CONFLICT (member_id) DO NOTHING",
        seen.member_id,
        seen.pseudonym,
        pseudonym_key(seen.pseudonym),
    )
