"""What the accounts service keeps outside its event log (ADR 18).

Password hashes, the hashes of session tokens and the skeletons that keep look-alike pseudonyms
apart are written by the handlers, in the same transaction as the events they go with. None of
them is a projection: a rebuild from the log cannot bring a secret back, so none is ever dropped
by one. Losing ``sessions`` signs everyone out; losing ``credentials`` would need every member
to reset their password, as losing ``member_keys`` loses their e-mail address.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from uuid import UUID

import asyncpg
import msgspec

from services.accounts.skeleton import skeleton

SCHEMA = "accounts"
SESSION_LIFETIME = dt.timedelta(days=30)


def token_hash(token: str) -> str:
    """What ``sessions`` keeps of a session token: its SHA-256, never the token."""
    return hashlib.sha256(token.encode()).hexdigest()


class Credentials(msgspec.Struct, frozen=True, kw_only=True):
    member_id: UUID
    password_hash: str


async def store_password(conn: asyncpg.Connection, member_id: UUID, password_hash: str) -> None:
    await conn.execute(
        f"INSERT INTO {SCHEMA}.credentials (member_id, password_hash) VALUES ($1, $2)", member_id, password_hash
    )


async def set_password(conn: asyncpg.Connection, member_id: UUID, password_hash: str) -> None:
    await conn.execute(
        f"UPDATE {SCHEMA}.credentials SET password_hash = $2 WHERE member_id = $1", member_id, password_hash
    )


async def for_member(conn: asyncpg.Connection, member_id: UUID) -> str | None:
    found: str | None = await conn.fetchval(
        f"SELECT password_hash FROM {SCHEMA}.credentials WHERE member_id = $1", member_id
    )
    return found


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


async def reserve_skeleton(conn: asyncpg.Connection, member_id: UUID, pseudonym: str) -> None:
    """Take the pseudonym's skeleton for ``member_id``; a look-alike taken first raises
    ``asyncpg.UniqueViolationError`` (constraint ``pseudonym_skeletons_pkey``), even when two
    sign-ups race."""
    await conn.execute(
        f"INSERT INTO {SCHEMA}.pseudonym_skeletons (skeleton, member_id) VALUES ($1, $2)",
        skeleton(pseudonym),
        member_id,
    )


async def skeleton_taken(conn: asyncpg.Connection, pseudonym: str) -> bool:
    return bool(
        await conn.fetchval(f"SELECT true FROM {SCHEMA}.pseudonym_skeletons WHERE skeleton = $1", skeleton(pseudonym))
    )


async def reserve_missing_skeletons(conn: asyncpg.Connection) -> int:
    """Skeletons of members who signed up before they were kept (the earlier sign-up keeps a
    skeleton two old look-alikes share). Idempotent; returns how many were added."""
    rows = await conn.fetch(
        f"SELECT m.member_id, m.pseudonym FROM {SCHEMA}.members m WHERE NOT EXISTS"
        f" (SELECT 1 FROM {SCHEMA}.pseudonym_skeletons s WHERE s.member_id = m.member_id)"
        " ORDER BY m.registered_at, m.member_id"
    )
    added = 0
    for member_id, pseudonym in rows:
        status = await conn.execute(
            f"INSERT INTO {SCHEMA}.pseudonym_skeletons (skeleton, member_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            skeleton(pseudonym),
            member_id,
        )
        added += status == "INSERT 0 1"
    return added
