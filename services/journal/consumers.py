"""The journal's view of other services' events: who is who (for invitations and names)."""

from __future__ import annotations

from uuid import UUID

import asyncpg
import msgspec

from shared.messages import RecordedEvent
from shared.names import pseudonym_key


class MemberRegisteredView(msgspec.Struct, frozen=True, kw_only=True):
    member_id: UUID
    pseudonym: str


async def on_member_registered(conn: asyncpg.Connection, recorded: RecordedEvent) -> None:
    seen = msgspec.json.decode(recorded.data, type=MemberRegisteredView)
    await conn.execute(
        "INSERT INTO people (member_id, pseudonym, pseudonym_key) VALUES ($1, $2, $3)"
        " ON CONFLICT (member_id) DO NOTHING",
        seen.member_id,
        seen.pseudonym,
        pseudonym_key(seen.pseudonym),
    )
