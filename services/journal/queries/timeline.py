"""Entries as their reader may see them: a page of the timeline, one entry, every entry."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

import asyncpg
import msgspec

from services.journal.access import sees_entry_sql, timeline_statuses_sql
from services.journal.queries.observations import activity_of, activity_sql, observations_of, observations_sql
from services.journal.queries.viewer import (
    VIEWER_SQL,
    S,
    Viewer,
    author_key_sql,
    journal_of_viewer,
    name_sql,
    opened,
    opened_by,
    sees_entry_scan,
    supporters_sql,
    viewer,
    viewer_of,
)
from shared.contracts import journal as c

PAGE_SIZE = 20

_ENTRY_COLUMNS = (
    "e.entry_id, e.version, e.kind, e.text, e.helped, e.mood, e.themes, e.occurred_on, e.author_id,"
    f" {name_sql('e.author_id')} AS author_name,"
    " e.on_behalf, e.visibility, e.needs_confirmation, e.confirmed, e.edited"
)
# an entry's notes, oldest first, as JSON rows [note_id, author_name, sealed text, added_at, author_id,
# author_sealed, the author's wrapped key]
_NOTES = (
    f"(SELECT json_agg(json_build_array(n.note_id, {name_sql('n.author_id')}, n.text, n.added_at, n.author_id,"
    f" n.author_sealed, {author_key_sql('n.author_id', 'n.author_sealed')}) ORDER BY n.added_at)"
    f" FROM {S}.notes n WHERE n.entry_id = e.entry_id)::text AS notes"
)
_notes_decoder = msgspec.json.Decoder(list[tuple[UUID, str, str, dt.datetime, UUID, bool, str | None]])
# total: entries of one day and second keep their order from page to page (the timeline index's keys)
_NEWEST_FIRST = "e.occurred_on DESC, e.recorded_at DESC, e.entry_id DESC"


def _filters(args: list[object], kind: str, theme: str, author: str) -> str:
    """The timeline's filters as SQL conditions ($2 is the viewer); their values go into ``args``."""
    where = []
    if kind:
        args.append(kind)
        where.append(f" AND e.kind = ${len(args)}")
    if theme:
        args.append(theme)
        where.append(f" AND ${len(args)} = ANY(e.themes)")
    if author == "me":
        where.append(" AND e.author_id = $2")
    elif author == "others":
        where.append(" AND e.author_id <> $2")
    return "".join(where)


class TimelinePage(msgspec.Struct, frozen=True, kw_only=True):
    journal: c.JournalView
    entries: list[c.EntryView]
    has_more: bool
    activity: list[c.TimelineItem]
    observations: list[c.ObservationView]  # accepted ones; for the owner also pending and private ones


def _timeline_sql(args: list[object], kind: str, theme: str, author: str) -> str:
    """The statement of ``timeline``; ``args`` holds its first four arguments and gets the rest."""
    where = f"e.journal_id = v.journal_id AND NOT e.retracted AND {sees_entry_scan('v.access', '$2')}"
    where += _filters(args, kind, theme, author)
    observations = observations_sql("v.journal_id", "v.access", "$2", timeline_statuses_sql("v.access"))
    first_row = "CASE WHEN coalesce(page.n, 1) = 1 THEN x.{0} END AS {0}"
    return (
        f"WITH v AS ({VIEWER_SQL}),"
        f" x AS MATERIALIZED (SELECT {supporters_sql('v.journal_id', 'v.access')} AS supporters,"
        f" CASE WHEN $4 THEN {activity_sql('v.journal_id')} END AS activity,"
        f" CASE WHEN $4 THEN {observations} END AS observations FROM v),"
        # the page is taken first (an index scan that stops after it), then numbered and given its notes
        f" page AS (SELECT {_ENTRY_COLUMNS}, {_NOTES}, row_number() OVER (ORDER BY {_NEWEST_FIRST}) AS n"
        f" FROM v, LATERAL (SELECT e.* FROM {S}.entries e WHERE {where} ORDER BY {_NEWEST_FIRST}"
        f" LIMIT ${len(args) + 1} OFFSET ${len(args) + 2}) e)"
        f" SELECT v.*, {', '.join(first_row.format(col) for col in ('supporters', 'activity', 'observations'))}, page.*"
        " FROM v CROSS JOIN x LEFT JOIN page ON true ORDER BY page.n"
    )


async def timeline(
    conn: asyncpg.Connection,
    actor_id: UUID,
    journal_id: UUID | None,
    own_id: UUID,
    *,
    kind: str = "",
    theme: str = "",
    author: str = "",
    page: int = 1,
    limit: int = PAGE_SIZE,
) -> TimelinePage | None:
    """One page of a timeline in one statement: the journal and the viewer (``VIEWER_SQL``), the page
    of entries with their notes, one per row, and on the row of the first entry the supporters
    (for the owner) and, on an unfiltered first page, the handover steps and observations.
    None when the person may not see the journal; who may see what is decided by
    ``services.journal.access`` alone, exactly as for every other query."""
    first = page <= 1 and not (kind or theme or author)
    args: list[object] = [journal_id, actor_id, own_id, first]
    sql = _timeline_sql(args, kind, theme, author)
    rows = await conn.fetch(sql, *args, limit + 1, (max(page, 1) - 1) * limit)
    v = viewer_of(rows[0] if rows else None, actor_id)
    if v is None:
        return None
    found = [_entry(v, r) for r in rows if r["entry_id"] is not None]
    return TimelinePage(
        journal=journal_of_viewer(v, rows[0]["supporters"]), entries=found[:limit], has_more=len(found) > limit,
        activity=activity_of(rows[0]["activity"]), observations=observations_of(v, rows[0]["observations"]),
    )  # fmt: skip


async def entry(conn: asyncpg.Connection, actor_id: UUID, own_id: UUID, entry_id: UUID) -> c.EntryView | None:
    """One entry, if it exists and this person may see it."""
    journal_id = await conn.fetchval(f"SELECT journal_id FROM {S}.entries WHERE entry_id = $1", entry_id)
    v = await viewer(conn, actor_id, journal_id, own_id) if journal_id else None
    if v is None:
        return None
    row = await conn.fetchrow(
        f"SELECT {_ENTRY_COLUMNS}, {_NOTES} FROM {S}.entries e WHERE e.entry_id = $4 AND e.journal_id = $1"
        f" AND NOT e.retracted AND {sees_entry_sql('$3::text', '$2::uuid')}",
        v.journal_id, v.actor_id, v.access.value, entry_id,
    )  # fmt: skip
    return _entry(v, row) if row is not None else None


async def all_entries(conn: asyncpg.Connection, v: Viewer) -> list[c.EntryView]:
    """Every entry the viewer sees, newest first (the export)."""
    rows = await conn.fetch(
        f"SELECT {_ENTRY_COLUMNS}, {_NOTES} FROM {S}.entries e WHERE e.journal_id = $1 AND NOT e.retracted"
        f" AND {sees_entry_sql('$3::text', '$2::uuid')} ORDER BY {_NEWEST_FIRST}",
        v.journal_id, v.actor_id, v.access.value,
    )  # fmt: skip
    return [_entry(v, r) for r in rows]


def _notes(v: Viewer, rows: str | None) -> tuple[c.NoteView, ...]:
    if rows is None:
        return ()
    return tuple(
        c.NoteView(note_id=note_id, author_name=author, text=opened_by(v, sealed, author_id, key, twice), added_at=at)
        for note_id, author, sealed, at, author_id, twice, key in _notes_decoder.decode(rows)
    )


def _entry(v: Viewer, r: asyncpg.Record) -> c.EntryView:
    notes = _notes(v, r["notes"])
    return c.EntryView(
        entry_id=r["entry_id"], version=r["version"], kind=r["kind"], text=opened(v, r["text"]),
        helped=opened(v, r["helped"]), mood=r["mood"], themes=tuple(r["themes"]), occurred_on=r["occurred_on"],
        author_id=r["author_id"], author_name=r["author_name"], on_behalf=r["on_behalf"], visibility=r["visibility"],
        needs_confirmation=r["needs_confirmation"], confirmed=r["confirmed"], edited=r["edited"], notes=notes,
    )  # fmt: skip
