"""The kernel's part of erasing a member in one service (docs/adr/0034-erasure.md).

A service that follows ``accounts.member_erased`` calls ``forget`` in the transaction that purges
its read models and appends its own erasure event: the member's data key goes (their sealed text
in the log, in JetStream and in any backup can no longer be opened), so do the replies kept for
their retried requests and the parked messages that name them, and their id is kept in ``erased``
so that projections, rebuilds and late or redelivered events skip them without parking."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from uuid import UUID

import asyncpg

from shared.crypto import KeyStore


async def forget(conn: asyncpg.Connection, schema: str, member_id: UUID, at: dt.datetime) -> bool:
    """Erase what the kernel keeps of ``member_id`` in ``schema``; False if it was done already."""
    first = await conn.fetchval(
        f"INSERT INTO {schema}.erased (member_id, erased_at) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING true",
        member_id,
        at,
    )
    await KeyStore(schema).erase(conn, member_id)
    await conn.execute(f"DELETE FROM {schema}.idempotency WHERE actor_id = $1", member_id)
    await conn.execute(
        f"DELETE FROM {schema}.parked_messages WHERE position(convert_to($1, 'UTF8') IN data) > 0", str(member_id)
    )
    return bool(first)


async def is_erased(conn: asyncpg.Connection, schema: str, member_id: UUID) -> bool:
    return bool(await conn.fetchval(f"SELECT true FROM {schema}.erased WHERE member_id = $1", member_id))


async def erased_among(conn: asyncpg.Connection, schema: str, ids: Iterable[UUID | None]) -> set[UUID]:
    """Which of ``ids`` have been erased here (one round trip for a batch of events)."""
    wanted = list({i for i in ids if i is not None})
    if not wanted:
        return set()
    rows = await conn.fetch(f"SELECT member_id FROM {schema}.erased WHERE member_id = ANY($1::uuid[])", wanted)
    return {r["member_id"] for r in rows}
