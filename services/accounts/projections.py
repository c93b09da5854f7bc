"""Inline read models of the accounts service: members.

Sessions and credentials are not projections: their secrets are in no event (ADR 18), so the
handlers write them (``credentials.py``) and no rebuild touches them.
"""

from __future__ import annotations

import asyncpg

from services.accounts.events import EmailChanged, EmailConfirmed, MemberRegistered, RoleGranted, TimeZoneSet
from shared.messages import Event
from shared.names import pseudonym_key
from shared.projections import Projection


async def _apply_member(conn: asyncpg.Connection, event: Event) -> None:
    match event:
        case MemberRegistered():
            await conn.execute(
                "INSERT INTO members (member_id, pseudonym, pseudonym_key, email_index,"
                " email_sealed, registered_at) VALUES ($1, $2, $3, $4, $5, $6)",
                event.member_id,
                event.pseudonym,
                pseudonym_key(event.pseudonym),
                event.email_index,
                event.email_sealed,
                event.registered_at,
            )
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


MEMBERS = Projection(name="members", tables=("members",), apply=_apply_member)
PROJECTIONS = (MEMBERS,)
