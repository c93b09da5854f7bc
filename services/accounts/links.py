"""Links sent by mail: confirm an address, change to a new one, reset a password (and the token
a sign-in gives to keep an account set to be erased, which works the same way but is not mailed).

A link carries a random token; only its SHA-256 is stored (like a session token's), in
``mail_links``, never in an event. A link works once (``redeem`` marks it used in the caller's
transaction, so two clicks racing cannot both pass) and until it expires. Operational state, not
a projection: a rebuild never touches it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from uuid import UUID

import asyncpg
import msgspec

SCHEMA = "accounts"
CONFIRM, CHANGE, RESET = "confirm", "change", "reset"
KEEP = "keep"  # not mailed: given by a sign-in to an account set to be erased, to keep it (ADR 34)
LIFETIME = {
    CONFIRM: dt.timedelta(days=7), CHANGE: dt.timedelta(days=1), RESET: dt.timedelta(hours=1),
    KEEP: dt.timedelta(minutes=30),
}  # fmt: skip


class Link(msgspec.Struct, frozen=True, kw_only=True):
    purpose: str
    member_id: UUID
    email_index: str  # the address the link was sent to
    email_sealed: str | None  # the new address, for a change


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def issue(
    conn: asyncpg.Connection,
    purpose: str,
    member_id: UUID,
    email_index: str,
    now: dt.datetime,
    email_sealed: str | None = None,
) -> str:
    """A new link's token (the only time it exists in clear: it goes straight into a mail)."""
    token = secrets.token_urlsafe(32)
    await conn.execute(
        f"INSERT INTO {SCHEMA}.mail_links (token_hash, purpose, member_id, email_index, email_sealed,"
        " created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        token_hash(token), purpose, member_id, email_index, email_sealed, now, now + LIFETIME[purpose],
    )  # fmt: skip
    return token


async def valid(conn: asyncpg.Connection, token: str, purposes: tuple[str, ...], now: dt.datetime) -> Link | None:
    """The link if it is unused, unexpired and for one of ``purposes`` (nothing is changed)."""
    row = await conn.fetchrow(
        f"SELECT purpose, member_id, email_index, email_sealed FROM {SCHEMA}.mail_links"
        " WHERE token_hash = $1 AND purpose = ANY($2) AND used_at IS NULL AND expires_at > $3",
        token_hash(token), list(purposes), now,
    )  # fmt: skip
    return Link(purpose=row[0], member_id=row[1], email_index=row[2], email_sealed=row[3]) if row else None


async def redeem(conn: asyncpg.Connection, token: str, purposes: tuple[str, ...], now: dt.datetime) -> Link | None:
    """Use the link once, in the caller's transaction; None if it is unknown, used or expired."""
    row = await conn.fetchrow(
        f"UPDATE {SCHEMA}.mail_links SET used_at = $3 WHERE token_hash = $1 AND purpose = ANY($2)"
        " AND used_at IS NULL AND expires_at > $3 RETURNING purpose, member_id, email_index, email_sealed",
        token_hash(token), list(purposes), now,
    )  # fmt: skip
    return Link(purpose=row[0], member_id=row[1], email_index=row[2], email_sealed=row[3]) if row else None


async def retire(conn: asyncpg.Connection, member_id: UUID, purpose: str, now: dt.datetime) -> None:
    """Every unused link of ``purpose`` for the member stops working (a newer one replaces them)."""
    await conn.execute(
        f"UPDATE {SCHEMA}.mail_links SET used_at = $3 WHERE member_id = $1 AND purpose = $2 AND used_at IS NULL",
        member_id, purpose, now,
    )  # fmt: skip


async def pending_change(conn: asyncpg.Connection, member_id: UUID, now: dt.datetime) -> str | None:
    """The sealed new address of the member's newest working change link, if any."""
    sealed: str | None = await conn.fetchval(
        f"SELECT email_sealed FROM {SCHEMA}.mail_links WHERE member_id = $1 AND purpose = $2"
        " AND used_at IS NULL AND expires_at > $3 ORDER BY created_at DESC LIMIT 1",
        member_id, CHANGE, now,
    )  # fmt: skip
    return sealed
