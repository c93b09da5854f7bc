"""Inline read models of the accounts service: members and sessions."""

from __future__ import annotations

import asyncpg

from services.accounts.events import MemberRegistered, RoleGranted, SessionEnded, SessionStarted
from shared.messages import Event
from shared.names import pseudonym_key
from shared.projections import Projection


async def _apply_member(conn: asyncpg.Connection, event: Event) -> None:
    match event:
        case MemberRegistered():
            await conn.execute(
                "INSERT INTO members (member_id, pseudonym, pseudonym_key, email_index,"
                " email_sealed, password_hash, registered_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                event.member_id,
                event.pseudonym,
                pseudonym_key(event.pseudonym),
                event.email_index,
                event.email_sealed,
                event.password_hash,
                event.registered_at,
            )
        case RoleGranted():
            await conn.execute(
                "UPDATE members SET roles = array_append(roles, $2) WHERE member_id = $1 AND NOT ($2 = ANY(roles))",
                event.member_id,
                event.role,
            )


async def _apply_session(conn: asyncpg.Connection, event: Event) -> None:
    match event:
        case SessionStarted():
            await conn.execute(
                "INSERT INTO sessions (session_id, token_hash, member_id, started_at,"
                " expires_at) VALUES ($1, $2, $3, $4, $5)",
                event.session_id,
                event.token_hash,
                event.member_id,
                event.started_at,
                event.expires_at,
            )
        case SessionEnded():
            await conn.execute(
                "UPDATE sessions SET ended_at = $2 WHERE session_id = $1",
                event.session_id,
                event.ended_at,
            )


MEMBERS = Projection(name="members", tables=("members",), apply=_apply_member)
SESSIONS = Projection(name="sessions", tables=("sessions",), apply=_apply_session)
PROJECTIONS = (MEMBERS, SESSIONS)
