"""Read side of the accounts service: SQL -> DTOs."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

import asyncpg
import msgspec

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
        f"SELECT m.member_id, m.pseudonym, m.roles, m.time_zone FROM {SCHEMA}.sessions s"
        f" JOIN {SCHEMA}.members m USING (member_id)"
        " WHERE s.token_hash = $1 AND s.ended_at IS NULL AND s.expires_at > now()",
        token_hash,
    )
    return _member(row) if row else None


async def member_view(conn: asyncpg.Connection, member_id: UUID) -> MemberView | None:
    row = await conn.fetchrow(
        f"SELECT member_id, pseudonym, roles, time_zone FROM {SCHEMA}.members WHERE member_id = $1", member_id
    )
    if row is None:
        return None
    return MemberView(member_id=row[0], pseudonym=row[1], roles=tuple(sorted(row[2])), time_zone=row[3])


async def session_for_token(conn: asyncpg.Connection, token_hash: str) -> UUID | None:
    session_id: UUID | None = await conn.fetchval(
        f"SELECT session_id FROM {SCHEMA}.sessions WHERE token_hash = $1", token_hash
    )
    return session_id


def _member(row: asyncpg.Record) -> MemberView:
    return MemberView(member_id=row[0], pseudonym=row[1], roles=tuple(row[2]), time_zone=row.get("time_zone", ""))


class MailRow(msgspec.Struct, frozen=True, kw_only=True):
    member_id: UUID
    pseudonym: str
    email_sealed: str
    email_index: str
    email_confirmed: bool
    time_zone: str = ""


async def mail_row(
    conn: asyncpg.Connection, *, member_id: UUID | None = None, email_index: str | None = None
) -> MailRow | None:
    """A member's sealed address and whether it is confirmed, by id or by the address's index."""
    row = await conn.fetchrow(
        f"SELECT member_id, pseudonym, email_sealed, email_index, email_confirmed, time_zone FROM {SCHEMA}.members"
        " WHERE member_id = $1 OR email_index = $2",
        member_id, email_index,
    )  # fmt: skip
    return msgspec.convert(dict(row), MailRow) if row else None


async def open_sessions(conn: asyncpg.Connection, member_id: UUID) -> list[UUID]:
    rows = await conn.fetch(
        f"SELECT session_id FROM {SCHEMA}.sessions WHERE member_id = $1 AND ended_at IS NULL ORDER BY started_at",
        member_id,
    )
    return [r[0] for r in rows]


class ErasureRow(msgspec.Struct, frozen=True, kw_only=True):
    member_id: UUID
    requested_at: dt.datetime
    due_at: dt.datetime
    requested_by: UUID | None
    cancelled_at: dt.datetime | None
    erased_at: dt.datetime | None


async def erasure_of(conn: asyncpg.Connection, member_id: UUID) -> ErasureRow | None:
    row = await conn.fetchrow(
        f"SELECT member_id, requested_at, due_at, requested_by, cancelled_at, erased_at FROM {SCHEMA}.erasures"
        " WHERE member_id = $1",
        member_id,
    )
    return msgspec.convert(dict(row), ErasureRow) if row else None


async def erasure_pending(conn: asyncpg.Connection, member_id: UUID) -> bool:
    """Set to be erased and not erased yet: the account is locked, and no mail goes to it."""
    return bool(
        await conn.fetchval(
            f"SELECT true FROM {SCHEMA}.erasures WHERE member_id = $1 AND cancelled_at IS NULL",
            member_id,
        )
    )
