"""Inline read models of the accounts service: members, and erasures.

Sessions and credentials are not projections: their secrets are in no event (ADR 18), so the
handlers write them (``credentials.py``) and no rebuild touches them.

A member's pseudonym is sealed with their key in the events written since names left the wire
(ADR 34); the projection opens it. An erased member's key is gone and their id is in ``erased``:
a rebuild brings nothing of theirs back.
"""

from __future__ import annotations

import asyncpg

from services.accounts.events import (
    EmailChanged,
    EmailConfirmed,
    ErasureCancelled,
    ErasureRequested,
    MemberErased,
    MemberRegistered,
    RoleGranted,
    TimeZoneSet,
)
from shared.crypto import KeyErased, KeyStore, open_sealed
from shared.messages import Event
from shared.names import pseudonym_key
from shared.projections import Projection

_KEYS = KeyStore("accounts")


async def pseudonym_of(conn: asyncpg.Connection, event: MemberRegistered) -> str | None:
    """The name the member chose: in clear in events from before ADR 34, sealed since; None once
    they are erased (their key is gone)."""
    if await conn.fetchval("SELECT true FROM accounts.erased WHERE member_id = $1", event.member_id):
        return None
    if not event.pseudonym_sealed:
        return event.pseudonym
    try:
        key = await _KEYS.get(conn, event.member_id)
    except KeyErased:
        return None
    return open_sealed(key, event.pseudonym_sealed, event.member_id)


async def _apply_member(conn: asyncpg.Connection, event: Event) -> None:
    match event:
        case MemberRegistered():
            name = await pseudonym_of(conn, event)
            if name is None:
                return  # erased: nothing of theirs comes back
            await conn.execute(
                "INSERT INTO members (member_id, pseudonym, pseudonym_key, email_index,"
                " email_sealed, registered_at) VALUES ($1, $2, $3, $4, $5, $6)",
                event.member_id, name, pseudonym_key(name), event.email_index, event.email_sealed,
                event.registered_at,
            )  # fmt: skip
        case RoleGranted():
            await conn.execute(
                "UPDATE members SET roles = array_append(roles, $2) WHERE member_id = $1 AND NOT ($2 = ANY(roles))",
                event.member_id,
                event.role,
            )
        case EmailConfirmed():
            await conn.execute(
                "UPDATE members SET email_confirmed = true WHERE member_id = $1 AND email_index = $2",
                event.member_id, event.email_index,
            )  # fmt: skip
        case EmailChanged():
            await conn.execute(
                "UPDATE members SET email_sealed = $2, email_index = $3, email_confirmed = true WHERE member_id = $1",
                event.member_id, event.email_sealed, event.email_index,
            )  # fmt: skip
        case TimeZoneSet():
            await conn.execute(
                "UPDATE members SET time_zone = $2 WHERE member_id = $1", event.member_id, event.time_zone
            )
        case MemberErased():
            await conn.execute("DELETE FROM members WHERE member_id = $1", event.member_id)


async def _apply_erasure(conn: asyncpg.Connection, event: Event) -> None:
    match event:
        case ErasureRequested():
            await conn.execute(
                "INSERT INTO erasures (member_id, requested_at, due_at, requested_by) VALUES ($1, $2, $3, $4)"
                " ON CONFLICT (member_id) DO UPDATE SET requested_at = $2, due_at = $3, requested_by = $4,"
                " cancelled_at = NULL",
                event.member_id, event.requested_at, event.due_at, event.requested_by,
            )  # fmt: skip
        case ErasureCancelled():
            await conn.execute(
                "UPDATE erasures SET cancelled_at = $2 WHERE member_id = $1", event.member_id, event.cancelled_at
            )
        case MemberErased():
            await conn.execute(
                "UPDATE erasures SET erased_at = $2 WHERE member_id = $1", event.member_id, event.erased_at
            )


MEMBERS = Projection(name="members", tables=("members",), apply=_apply_member)
ERASURES = Projection(name="erasures", tables=("erasures",), apply=_apply_erasure)
PROJECTIONS = (MEMBERS, ERASURES)
