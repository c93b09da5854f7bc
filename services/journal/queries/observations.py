"""Observations and handover steps as a journal's reader may see them."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

import asyncpg
import msgspec

from services.journal.access import sees_observation_sql
from services.journal.queries.viewer import S, Viewer, author_key_sql, name_sql, opened_by
from shared.contracts import journal as c


# Each list is one column of JSON rows, so that one statement can fetch several; the arguments are
# SQL expressions.
def observations_sql(journal: str, access: str, actor: str, statuses: str) -> str:
    """The observations ``actor`` (with ``access``) may see, of the given statuses (NULL: all)."""
    return (
        f"(SELECT json_agg(json_build_array(o.observation_id, {name_sql('o.author_id')}, o.text, o.status, o.added_at,"
        f" o.author_id, o.author_sealed, {author_key_sql('o.author_id', 'o.author_sealed')}) ORDER BY o.added_at DESC)"
        f" FROM {S}.observations o WHERE o.journal_id = {journal} AND {sees_observation_sql(access, actor)}"
        f" AND ({statuses} IS NULL OR o.status = ANY({statuses})))::text"
    )


def activity_sql(journal: str) -> str:
    """The journal's handover steps, newest first, with who took them."""
    return (
        f"(SELECT json_agg(json_build_array(a.day, a.kind, a.stage, {name_sql('a.actor_id')}) ORDER BY a.at DESC)"
        f" FROM {S}.activity a WHERE a.journal_id = {journal})::text"
    )


_observations_decoder = msgspec.json.Decoder(list[tuple[UUID, str, str, str, dt.datetime, UUID, bool, str | None]])
_activity_decoder = msgspec.json.Decoder(list[tuple[dt.date, str, str, str]])
_STAGE_WORDS = {"supporter_keeps": "supporter keeps", "kept_together": "kept together", "member_keeps": "member keeps"}
_ACTIVITY_TEXT = {
    "proposed": "Handover proposed: {}",
    "accepted": "Handover stage now: {}",
    "declined": "Handover declined: {}",
}


def observations_of(v: Viewer, rows: str | None) -> list[c.ObservationView]:
    """The views of what ``observations_sql`` read."""
    return [
        c.ObservationView(
            observation_id=oid,
            journal_id=v.journal_id,
            author_name=author,
            text=opened_by(v, sealed, author_id, key, twice),
            status=status,
            added_at=added_at,
        )
        for oid, author, sealed, status, added_at, author_id, twice, key in _observations_decoder.decode(rows or "[]")
    ]


def activity_of(rows: str | None) -> list[c.TimelineItem]:
    """The timeline items of what ``activity_sql`` read."""
    return [
        c.TimelineItem(
            day=day,
            kind="handover",
            text=_ACTIVITY_TEXT[kind].format(_STAGE_WORDS[stage]),
            by=by,
            step=kind,
            stage=stage,
        )
        for day, kind, stage, by in _activity_decoder.decode(rows or "[]")
    ]


async def observations(
    conn: asyncpg.Connection, v: Viewer, *, status: tuple[str, ...] | None = None
) -> list[c.ObservationView]:
    sql = f"SELECT {observations_sql('$1', '$2::text', '$3::uuid', '$4::text[]')}"
    return observations_of(v, await conn.fetchval(sql, v.journal_id, v.access.value, v.actor_id, status))
