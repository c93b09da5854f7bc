"""Who is who, and which journal is whose: the look-ups the command handlers and the reads need."""

from __future__ import annotations

from uuid import UUID

import asyncpg
import msgspec

from services.journal.queries.viewer import S
from shared.names import pseudonym_key


class Person(msgspec.Struct, frozen=True, kw_only=True):
    member_id: UUID
    pseudonym: str


async def person_by_pseudonym(conn: asyncpg.Connection, pseudonym: str) -> Person | None:
    row = await conn.fetchrow(
        f"SELECT member_id, pseudonym FROM {S}.people WHERE pseudonym_key = $1", pseudonym_key(pseudonym)
    )
    return Person(member_id=row["member_id"], pseudonym=row["pseudonym"]) if row else None


async def journal_of(conn: asyncpg.Connection, member_id: UUID) -> UUID | None:
    """The journal this member owns, if any."""
    journal_id: UUID | None = await conn.fetchval(f"SELECT journal_id FROM {S}.journals WHERE owner_id = $1", member_id)
    return journal_id


async def owns_journal(conn: asyncpg.Connection, member_id: UUID) -> bool:
    return await journal_of(conn, member_id) is not None


async def journal_for_code(conn: asyncpg.Connection, code_hash: str) -> UUID | None:
    """The journal an unused claim code (by its hash) opens."""
    journal_id: UUID | None = await conn.fetchval(
        f"SELECT journal_id FROM {S}.claim_codes WHERE code_hash = $1 AND NOT used", code_hash
    )
    return journal_id
