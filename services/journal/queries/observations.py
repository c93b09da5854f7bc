"""Observations and handover steps as a journal's reader may see them."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

import asyncpg
import msgspec

from services.journal.access import sees_observation_sql
from services.journal.queries.viewer import S, Viewer, opened
from shared.contracts import journal as c


# Each list is one column of JSON rows, so that one statement can fetch several; the arguments are
# SQL expressions.
def observations_sql(journal: str, access: str, actor: str, statuses: str) -> str:
    """The observations ``actor`` (with ``access``) may see, of the given statuses (NULL: all)."""
    return (
        "(SELECT json_agg(json_build_array(o.observation_id, coalesce(p.pseudonym, ''), o.text, o.status, o.added_at)"
        f" ORDER BY o.added_at DESC) FROM {S}.observations o LEFT JOIN {S}.people p ON p.member_id = o.author_id"
        f" WHERE o.journal_id = {journal} AND {sees_observation_sql(access, actor)}"
        f" AND ({statuses} IS NULL OR o.status = ANY({statuses})))::text"
    )


def activity_sql(journal: str) -> str:
    """The journal's handover steps, newest first, with who took them."""
    return (
        "(SELECT json_agg(json_build_array(a.day, a.kind, a.stage, coalesce(p.pseudonym, '')) ORDER BY a.at DESC)"
        f" FROM {S}.activity a LEFT JOIN {S}.people p ON p.member_id = a.actor_id"
        f" WHERE a.journal_id = {journal})::text"
    )


_observations_decoder = msgspec.json.Decoder(list[tuple[UUID, str, str, str, dt.datetime]])
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
            text=opened(v, sealed),
            status=status,
            added_at=added_at,
        )
        for oid, author, sealed, status, added_at in _observations_decoder.decode(rows or "[]")
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
