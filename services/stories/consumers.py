"""The stories service's view of other services' events: moderators' pseudonyms for the audit."""

from __future__ import annotations

from uuid import UUID

import asyncpg
import msgspec

from shared.messages import RecordedEvent

MEMBER_REGISTERED = "accounts.member_registered.v1"


class MemberRegisteredView(msgspec.Struct, frozen=True, kw_only=True):
    member_id: UUID
    pseudonym: str


async def on_member_registered(conn: asyncpg.Connection, recorded: RecordedEvent) -> None:
    seen = msgspec.json.decode(recorded.data, type=MemberRegisteredView)
    await conn.execute(
        "INSERT INTO people (member_id, pseudonym) VALUES ($1, $2) ON CONFLICT (member_id) DO NOTHING",
        seen.member_id,
        seen.pseudonym,
    )
