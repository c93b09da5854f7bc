"""What the progress view is made from: the journal's counts per day and per theme
(``progress_model``) and its most recent bounce-backs, as far as the viewer may see them.

Nothing here reads every entry: the counts are one row a day (per visibility and author) and one
a theme, and bouncing back walks at most ``BOUNCE_SAMPLE`` setbacks back from the newest, each
with one index lookup of the victory after it. The cost grows with the days a journal spans,
not with its entries (ADR 26).
"""

from __future__ import annotations

from uuid import UUID

import asyncpg
import msgspec

from services.journal.access import sees_entry_sql
from services.journal.progress import BOUNCE_SAMPLE, BounceBack, Span, WeekSum, bounce_back_of
from services.journal.queries.viewer import VIEWER_SQL, S, journal_of_viewer, sees_entry_scan, supporters_sql, viewer_of
from shared.contracts import journal as c


class ProgressRows(msgspec.Struct, frozen=True, kw_only=True):
    journal: c.JournalView
    weeks: list[WeekSum]
    themes: list[tuple[str, int]]
    span: Span | None  # None: no entries
    total_victories: int
    bounce_back: BounceBack


_weeks = msgspec.json.Decoder(list[WeekSum])
_themes = msgspec.json.Decoder(list[tuple[str, int]])
_span = msgspec.json.Decoder(Span | None)
_days = msgspec.json.Decoder(list[int])

_DAYS = (  # the viewer's counts per day
    "SELECT pd.day, sum(pd.victories)::int AS victories, sum(pd.setbacks)::int AS setbacks,"
    f" sum(pd.moods)::int AS moods, sum(pd.mood_sum)::int AS mood_sum FROM v, {S}.progress_days pd WHERE pd.journal_id = v.journal_id"
    f" AND {sees_entry_sql('v.access', '$2', 'pd.visibility', 'pd.author_id')} GROUP BY pd.day"
)
_WEEKS = (
    "(SELECT json_agg(json_build_array(w.week, w.mood_sum, w.moods)) FROM (SELECT date_trunc('week', d.day)::date"
    " AS week, sum(d.mood_sum) AS mood_sum, sum(d.moods) AS moods FROM d GROUP BY 1) w)::text"
)
_THEMES = (
    "(SELECT json_agg(json_build_array(t.theme, t.victories)) FROM (SELECT pt.theme, sum(pt.victories) AS victories"
    f" FROM {S}.progress_themes pt WHERE pt.journal_id = v.journal_id"
    f" AND {sees_entry_sql('v.access', '$2', 'pt.visibility', 'pt.author_id')} GROUP BY pt.theme) t)::text"
)
_PERIOD = (
    "(SELECT json_build_array(coalesce(sum(d.victories), 0), coalesce(sum(d.setbacks), 0),"
    " coalesce(sum(d.mood_sum), 0), coalesce(sum(d.moods), 0)) FROM d WHERE {})"
)
_SPAN = (
    "(SELECT json_build_array(s.first_day, s.last_day,"
    f" {_PERIOD.format('d.day < s.first_day + 30')}, {_PERIOD.format('d.day > s.last_day - 30')})"
    " FROM (SELECT min(d.day) AS first_day, max(d.day) AS last_day FROM d) s WHERE s.first_day IS NOT NULL)::text"
)
# the most recent setbacks with a victory after them, newest first, and the days to that victory;
# a victory of the same day counts if it was recorded after the setback
_BOUNCE = (
    "(SELECT json_agg(b.days ORDER BY b.occurred_on DESC, b.recorded_at DESC) FROM"
    " (SELECT s.occurred_on, s.recorded_at, w.occurred_on - s.occurred_on AS days"
    f" FROM {S}.entries s, LATERAL (SELECT w.occurred_on FROM {S}.entries w"
    " WHERE w.journal_id = v.journal_id AND w.kind = 'victory' AND NOT w.retracted"
    f" AND {sees_entry_scan('v.access', '$2', 'w')}"
    " AND (w.occurred_on, w.recorded_at) >= (s.occurred_on, s.recorded_at)"
    " ORDER BY w.occurred_on, w.recorded_at LIMIT 1) w"
    " WHERE s.journal_id = v.journal_id AND s.kind = 'setback' AND NOT s.retracted"
    f" AND {sees_entry_scan('v.access', '$2', 's')}"
    f" ORDER BY s.occurred_on DESC, s.recorded_at DESC LIMIT {BOUNCE_SAMPLE}) b)::text"
)
_PROGRESS = (
    f"WITH v AS ({VIEWER_SQL}), d AS ({_DAYS})"
    f" SELECT v.*, {supporters_sql('v.journal_id', 'v.access')} AS supporters, {_WEEKS} AS weeks,"
    f" {_THEMES} AS themes, {_SPAN} AS span, (SELECT coalesce(sum(d.victories), 0)::int FROM d) AS total_victories,"
    f" {_BOUNCE} AS bounce FROM v"
)


async def progress_rows(
    conn: asyncpg.Connection, actor_id: UUID, journal_id: UUID | None, own_id: UUID
) -> ProgressRows | None:
    """In one statement: the journal as the viewer sees it, the weeks' moods, the victories by
    theme, the first and last 30 days, and the most recent bounce-backs, counting only the entries
    the viewer may see (``services.journal.access`` decides, as everywhere). None when the person
    may not see the journal."""
    row = await conn.fetchrow(_PROGRESS, journal_id, actor_id, own_id)
    v = viewer_of(row, actor_id)
    if v is None or row is None:
        return None
    return ProgressRows(
        journal=journal_of_viewer(v, row["supporters"]), weeks=_weeks.decode(row["weeks"] or "[]"),
        themes=_themes.decode(row["themes"] or "[]"), span=_span.decode(row["span"] or "null"),
        total_victories=row["total_victories"], bounce_back=bounce_back_of(_days.decode(row["bounce"] or "[]")),
    )  # fmt: skip
