"""What the accounts service keeps outside its event log (ADR 18).

Password hashes and the hashes of session tokens are written by the handlers, in the same
transaction as the events they go with. None of
them is a projection: a rebuild from the log cannot bring a secret back, so none is ever dropped
by one. Losing ``sessions`` signs everyone out; losing ``credentials`` would need every member
to reset their password, as losing ``member_keys`` loses their e-mail address.
"""

from __future__ import annotations

import datetime as dt
from uuid import UUID

import asyncpg
import msgspec

SCHEMA = "accounts"


class Credentials(msgspec.Struct, frozen=True, kw_only=True):
    member_id: UUID
    password_hash: str


async def store_password(conn: asyncpg.Connection, member_id: UUID, password_hash: str) -> None:
    await conn.execute(
        f"INSERT INTO {SCHEMA}.credentials (member_id, password_hash) VALUES ($1, $2)", member_id, password_hash
    )


async def for_email(conn: asyncpg.Connection, email_index: str) -> Credentials | None:
    row = await conn.fetchrow(
        f"SELECT c.member_id, c.password_hash FROM {SCHEMA}.members m"
        f" JOIN {SCHEMA}.credentials c USING (member_id) WHERE m.email_index = $1",
        email_index,
    )
    return Credentials(member_id=row[0], password_hash=row[1]) if row else None


async def open_session(
    conn: asyncpg.Connection,
    session_id: UUID,
    token_hash: str,
    member_id: UUID,
    started_at: dt.datetime,
    expires_at: dt.datetime,
) -> None:
    await conn.execute(
        f"INSERT INTO {SCHEMA}.sessions (session_id, token_hash, member_id, started_at, expires_at)"
        " VALUES ($1, $2, $3, $4, $5)",
        session_id, token_hash, member_id, started_at, expires_at,
    )  # fmt: skip


async def close_session(conn: asyncpg.Connection, session_id: UUID, ended_at: dt.datetime) -> None:
    await conn.execute(f"UPDATE {SCHEMA}.sessions SET ended_at = $2 WHERE session_id = $1", session_id, ended_at)
