"""What the progress view is computed from: each visible entry's kind, day, mood and themes."""

from __future__ import annotations

from uuid import UUID

import asyncpg
import msgspec

from services.journal.access import sees_entry_sql
from services.journal.progress import Point
from services.journal.queries.viewer import VIEWER_SQL, S, journal_of_viewer, supporters_sql, viewer_of
from shared.contracts import journal as c


class ProgressRows(msgspec.Struct, frozen=True, kw_only=True):
    journal: c.JournalView
    points: list[Point]  # oldest first


_points_decoder = msgspec.json.Decoder(list[Point])


async def progress_rows(
    conn: asyncpg.Connection, actor_id: UUID, journal_id: UUID | None, own_id: UUID
) -> ProgressRows | None:
    """In one statement: the journal as the viewer sees it, and every visible, unretracted
    entry's kind, day, mood, themes and when it was recorded (no text), oldest first. None when the person may not
    see the journal (``services.journal.access`` decides, as everywhere)."""
    row = await conn.fetchrow(
        f"WITH v AS ({VIEWER_SQL}) SELECT v.*, {supporters_sql('v.journal_id', 'v.access')} AS supporters,"
        " (SELECT json_agg(json_build_array(e.kind, e.occurred_on, e.mood, e.themes, e.recorded_at)"
        " ORDER BY e.occurred_on, e.recorded_at) FROM"
        f" {S}.entries e WHERE e.journal_id = v.journal_id AND NOT e.retracted AND {sees_entry_sql('v.access', '$2')})::text"
        " AS points FROM v",
        journal_id, actor_id, own_id,
    )  # fmt: skip
    v = viewer_of(row, actor_id)
    if v is None or row is None:
        return None
    return ProgressRows(
        journal=journal_of_viewer(v, row["supporters"]), points=_points_decoder.decode(row["points"] or "[]")
    )
