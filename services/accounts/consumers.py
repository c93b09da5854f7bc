"""Accounts follows every other service's erasure event (``shared.contracts.erasure.APPLIED``):
an erasure is reported done only once each of them has applied it (docs/adr/0034-erasure.md)."""

from __future__ import annotations

import asyncpg
import msgspec

from shared.contracts.erasure import ErasureSeen
from shared.messages import RecordedEvent


async def on_erasure_applied(conn: asyncpg.Connection, recorded: RecordedEvent, *, service: str) -> None:
    """``service`` has erased the member: noted once (a redelivery changes nothing)."""
    seen = msgspec.json.decode(recorded.data, type=ErasureSeen)
    await conn.execute(
        "INSERT INTO erasure_applied (member_id, service, applied_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
        seen.member_id,
        service,
        seen.erased_at or recorded.recorded_at,
    )
