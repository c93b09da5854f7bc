"""The progress read model (ADR 26): what the progress page counts, per day and per theme, kept by
the entries projection in the append's transaction and rebuilt with it (its tables are the entries
projection's, so a rebuild reads the shadow ``entries`` it is filling).

An entry's contribution is taken from its row in ``entries``: subtracted before an edit or a
retraction changes the row, added after a record or an edit. Rows are keyed by the entry's
visibility and author, what ``access.sees_entry`` needs, so that a reader's page applies the
same rule to the counts as to the entries. Only entries that are not retracted count.
"""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

import asyncpg

TABLES = ("progress_days", "progress_themes")

# $1: the entries; $2: +1 to add their contribution, -1 to take it away
_COUNT = (
    "WITH e AS (SELECT * FROM entries WHERE entry_id = ANY($1::uuid[]) AND NOT retracted),"
    " d AS (INSERT INTO progress_days AS d"
    " SELECT journal_id, occurred_on, visibility, author_id, $2 * count(*),"
    " $2 * count(*) FILTER (WHERE kind = 'victory'), $2 * count(*) FILTER (WHERE kind = 'setback'),"
    " $2 * count(mood) FILTER (WHERE kind = 'mood'), $2 * coalesce(sum(mood) FILTER (WHERE kind = 'mood'), 0)"
    " FROM e GROUP BY 1, 2, 3, 4"
    " ON CONFLICT (journal_id, day, visibility, author_id) DO UPDATE SET entries = d.entries + excluded.entries,"
    " victories = d.victories + excluded.victories, setbacks = d.setbacks + excluded.setbacks,"
    " moods = d.moods + excluded.moods, mood_sum = d.mood_sum + excluded.mood_sum)"
    " INSERT INTO progress_themes AS t"
    " SELECT e.journal_id, th.theme, e.visibility, e.author_id, $2 * count(*)"
    " FROM e, unnest(e.themes) AS th(theme) WHERE e.kind = 'victory' GROUP BY 1, 2, 3, 4"
    " ON CONFLICT (journal_id, theme, visibility, author_id) DO UPDATE SET victories = t.victories + excluded.victories"
)
# rows whose counts fell to zero, in the journals of $1
_EMPTIED = (
    "WITH j AS (SELECT DISTINCT journal_id FROM entries WHERE entry_id = ANY($1::uuid[])),"
    " d AS (DELETE FROM progress_days WHERE journal_id IN (SELECT journal_id FROM j) AND entries = 0)"
    " DELETE FROM progress_themes WHERE journal_id IN (SELECT journal_id FROM j) AND victories = 0"
)


async def count(conn: asyncpg.Connection, entry_ids: Sequence[UUID]) -> None:
    """Add these entries (as their rows are now) to the counts."""
    await conn.execute(_COUNT, entry_ids, 1)


async def uncount(conn: asyncpg.Connection, entry_ids: Sequence[UUID]) -> None:
    """Take these entries (as their rows are now) out of the counts, before their rows change."""
    await conn.execute(_COUNT, entry_ids, -1)
    await conn.execute(_EMPTIED, entry_ids)
