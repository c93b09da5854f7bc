"""Read side of the accounts service: SQL -> DTOs."""

from __future__ import annotations

from uuid import UUID

import asyncpg

from shared.contracts.accounts import MemberView

SCHEMA = "accounts"


async def member_by_pseudonym_key(conn: asyncpg.Connection, key: str) -> MemberView | None:
    row = await conn.fetchrow(f"SELECT member_id, pseudonym, roles FROM {SCHEMA}.members WHERE pseudonym_key = $1", key)
    return _member(row) if row else None


async def taken(conn: asyncpg.Connection, pseudonym_key: str, email_index: str) -> set[str]:
    """Which of the two are already used by someone: a subset of {"pseudonym", "email"}."""
    row = await conn.fetchrow(
        f"SELECT bool_or(pseudonym_key = $1) AS pseudonym, bool_or(email_index = $2) AS email"
        f" FROM {SCHEMA}.members WHERE pseudonym_key = $1 OR email_index = $2",
        pseudonym_key,
        email_index,
    )
    return {name for name in ("pseudonym", "email") if row and row[name]}


async def member_for_token(conn: asyncpg.Connection, token_hash: str) -> MemberView | None:
    row = await conn.fetchrow(
        f"SELECT m.member_id, m.pseudonym, m.roles FROM {SCHEMA}.sessions s"
        f" JOIN {SCHEMA}.members m USING (member_id)"
        " WHERE s.token_hash = $1 AND s.ended_at IS NULL AND s.expires_at > now()",
        token_hash,
    )
    return _member(row) if row else None


async def session_for_token(conn: asyncpg.Connection, token_hash: str) -> UUID | None:
    session_id: UUID | None = await conn.fetchval(
        f"SELECT session_id FROM {SCHEMA}.sessions WHERE token_hash = $1", token_hash
    )
    return session_id


def _member(row: asyncpg.Record) -> MemberView:
    return MemberView(member_id=row[0], pseudonym=row[1], roles=tuple(row[2]))
