"""The stories service's view of other services' events: who is who (moderators' pseudonyms for the
audit) and since when (an account's age weighs its reports, ``trust.report_weight``)."""

from __future__ import annotations

import asyncpg
import msgspec

from shared.contracts import accounts as acc
from shared.messages import RecordedEvent


async def on_member_registered(conn: asyncpg.Connection, recorded: RecordedEvent) -> None:
    seen = msgspec.json.decode(recorded.data, type=acc.MemberJoined)
    await conn.execute(
        "INSERT INTO people (member_id, pseudonym, registered_at) VALUES ($1, $2, $3)"
        " ON CONFLICT (member_id) DO UPDATE SET registered_at = coalesce(people.registered_at, $3)",
        seen.member_id,
        seen.pseudonym,
        seen.registered_at,
    )
