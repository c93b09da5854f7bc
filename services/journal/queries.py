"""Read side of the journal: SQL -> DTOs, text opened with the journal's key, and only what
the asking person may see."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

import asyncpg
import msgspec

from services.journal import progress
from services.journal.access import Access
from shared.contracts import journal as c
from shared.crypto import Opener, unwrap
from shared.names import pseudonym_key

S = "journal"
PAGE_SIZE = 20
ERASED = "(erased)"


async def person_by_pseudonym(conn: asyncpg.Connection, pseudonym: str) -> tuple[UUID, str] | None:
    row = await conn.fetchrow(
        f"SELECT member_id, pseudonym FROM {S}.people WHERE pseudonym_key = $1", pseudonym_key(pseudonym)
    )
    return (row[0], row[1]) if row else None


async def journal_of(conn: asyncpg.Connection, member_id: UUID) -> UUID | None:
    journal_id: UUID | None = await conn.fetchval(f"SELECT journal_id FROM {S}.journals WHERE owner_id = $1", member_id)
    return journal_id


async def owns_journal(conn: asyncpg.Connection, member_id: UUID) -> bool:
    return await journal_of(conn, member_id) is not None


async def journal_for_code(conn: asyncpg.Connection, code_hash: str) -> UUID | None:
    journal_id: UUID | None = await conn.fetchval(
        f"SELECT journal_id FROM {S}.claim_codes WHERE code_hash = $1 AND NOT used", code_hash
    )
    return journal_id


class Viewer(msgspec.Struct, frozen=True, kw_only=True):
    """What one person may see of one journal, and the journal's own fields."""

    journal_id: UUID
    actor_id: UUID
    access: Access
    owner_id: UUID | None
    owner_name: str
    stage: str
    pending_stage: str | None
    opener: Opener | None  # None once the journal's key is erased


# The journal a person asks for ($1, or their own: the one they own, else $3) with what they need
# to see it: its key, their active supporter role, and whether they own it. $2 is the person.
_VIEWER = (
    "SELECT j.journal_id, j.owner_id, j.owner_name, j.for_name, j.stage, j.pending_stage, k.key, s.role,"
    f" coalesce(j.owner_id = $2, false) AS owner FROM {S}.journals j"
    f" LEFT JOIN {S}.member_keys k ON k.member_id = j.journal_id"
    f" LEFT JOIN {S}.supporters s ON s.journal_id = j.journal_id AND s.supporter_id = $2 AND s.status = 'active'"
    f" WHERE j.journal_id = coalesce($1, (SELECT o.journal_id FROM {S}.journals o WHERE o.owner_id = $2), $3)"
)


async def viewer(conn: asyncpg.Connection, actor_id: UUID, journal_id: UUID | None, own_id: UUID) -> Viewer | None:
    """None when the journal does not exist for this person (also when they may not see it). One query."""
    return viewer_of(await conn.fetchrow(_VIEWER, journal_id, actor_id, own_id), actor_id)


def viewer_of(row: asyncpg.Record | None, actor_id: UUID) -> Viewer | None:
    """Who may see a journal, decided here alone: its owner, and its active supporters."""
    if row is None:
        return None
    if row["owner_id"] == actor_id:
        access = Access.OWNER
    elif row["role"] is None:
        return None
    else:
        access = Access.KEEPER if row["role"] == "keeper" else Access.ENCOURAGER
    key = bytes(row["key"]) if row["key"] else None
    opener = Opener(unwrap(key, row["journal_id"]), row["journal_id"]) if key else None
    return Viewer(
        journal_id=row["journal_id"], actor_id=actor_id, access=access, owner_id=row["owner_id"],
        owner_name=display_name(row["owner_name"], row["for_name"], opener), stage=row["stage"],
        pending_stage=row["pending_stage"], opener=opener,
    )  # fmt: skip


def display_name(owner_name: str, for_name: str, opener: Opener | None) -> str:
    """The owner's pseudonym, or, while the journal waits for them, the name it was started for
    (sealed; in clear in journals started before ADR 18, which hold it in ``owner_name``)."""
    if owner_name or not for_name:
        return owner_name
    return opener.open(for_name) if opener else ERASED


def opened(v: Viewer, sealed: str) -> str:
    if not sealed:
        return ""
    if v.opener is None:
        return ERASED
    return v.opener.open(sealed)


# Lists a page needs beside the entries, each as one column of JSON rows, so that one statement
# can fetch several. The arguments are SQL expressions: the journal's id, whether the viewer owns
# it, who the viewer is, which observation statuses to include (NULL: all).
def _supporters_sql(journal: str, owner: str) -> str:
    return (
        "(SELECT json_agg(json_build_array(s.supporter_id, coalesce(p.pseudonym, s.name), s.role, s.status)"
        f" ORDER BY coalesce(p.pseudonym, s.name)) FROM {S}.supporters s"
        f" LEFT JOIN {S}.people p ON p.member_id = s.supporter_id WHERE {owner} AND s.journal_id = {journal})::text"
    )


def _activity_sql(journal: str) -> str:
    return (
        "(SELECT json_agg(json_build_array(a.day, a.kind, a.stage, coalesce(p.pseudonym, '')) ORDER BY a.at DESC)"
        f" FROM {S}.activity a LEFT JOIN {S}.people p ON p.member_id = a.actor_id"
        f" WHERE a.journal_id = {journal})::text"
    )


def _observations_sql(journal: str, owner: str, actor: str, statuses: str) -> str:
    """The owner sees every observation; a supporter sees only their own."""
    return (
        "(SELECT json_agg(json_build_array(o.observation_id, coalesce(p.pseudonym, ''), o.text, o.status, o.added_at)"
        f" ORDER BY o.added_at DESC) FROM {S}.observations o LEFT JOIN {S}.people p ON p.member_id = o.author_id"
        f" WHERE o.journal_id = {journal} AND ({owner} OR o.author_id = {actor})"
        f" AND ({statuses} IS NULL OR o.status = ANY({statuses})))::text"
    )


_supporters_decoder = msgspec.json.Decoder(list[tuple[UUID, str, str, str]])
_activity_decoder = msgspec.json.Decoder(list[tuple[dt.date, str, str, str]])
_observations_decoder = msgspec.json.Decoder(list[tuple[UUID, str, str, str, dt.datetime]])
_STAGE_WORDS = {"supporter_keeps": "supporter keeps", "kept_together": "kept together", "member_keeps": "member keeps"}
_ACTIVITY_TEXT = {
    "proposed": "Handover proposed: {}",
    "accepted": "Handover stage now: {}",
    "declined": "Handover declined: {}",
}


def _journal(v: Viewer, supporters: str | None) -> c.JournalView:
    """The journal as its viewer sees it; only the owner is shown the supporters."""
    return c.JournalView(
        journal_id=v.journal_id, exists=True, owner_id=v.owner_id, owner_name=v.owner_name, stage=v.stage,
        pending_stage=v.pending_stage, access=v.access.value,
        supporters=tuple(
            c.SupporterView(supporter_id=sid, name=name, role=role, status=status)
            for sid, name, role, status in _supporters_decoder.decode(supporters or "[]")
        ),
    )  # fmt: skip


def _activity(rows: str | None) -> list[c.TimelineItem]:
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


def _observations(v: Viewer, rows: str | None) -> list[c.ObservationView]:
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


async def journal_view(conn: asyncpg.Connection, v: Viewer) -> c.JournalView:
    owner = v.access is Access.OWNER
    return _journal(v, await conn.fetchval(f"SELECT {_supporters_sql('$1', '$2')}", v.journal_id, owner))


def empty_journal(journal_id: UUID, name: str) -> c.JournalView:
    return c.JournalView(
        journal_id=journal_id, exists=False, owner_id=None, owner_name=name, stage="member_keeps",
        pending_stage=None, access="owner",
    )  # fmt: skip


_ENTRY_COLUMNS = (
    "e.entry_id, e.version, e.kind, e.text, e.helped, e.mood, e.themes, e.occurred_on, e.author_id,"
    f" coalesce((SELECT pseudonym FROM {S}.people p WHERE p.member_id = e.author_id), '') AS author_name,"
    " e.on_behalf, e.visibility, e.needs_confirmation, e.confirmed, e.edited"
)


def _visible(owner: str) -> str:
    """Which entries a viewer sees ($2 is the viewer, ``owner`` whether they own the journal)."""
    return f"(e.visibility = 'supporters' OR e.author_id = $2 OR {owner})"


# an entry's notes, oldest first, as JSON rows [note_id, author_name, sealed text, added_at]
_NOTES = (
    "(SELECT json_agg(json_build_array(n.note_id, coalesce(p.pseudonym, ''), n.text, n.added_at)"
    f" ORDER BY n.added_at) FROM {S}.notes n LEFT JOIN {S}.people p ON p.member_id = n.author_id"
    " WHERE n.entry_id = e.entry_id)::text AS notes"
)
_NoteRow = tuple[UUID, str, str, dt.datetime]
_notes_decoder = msgspec.json.Decoder(list[_NoteRow])
_NEWEST_FIRST = "e.occurred_on DESC, e.recorded_at DESC"


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


async def all_entries(conn: asyncpg.Connection, v: Viewer) -> list[c.EntryView]:
    """Every entry the viewer sees, newest first (the export)."""
    rows = await conn.fetch(
        f"SELECT {_ENTRY_COLUMNS}, {_NOTES} FROM {S}.entries e"
        f" WHERE e.journal_id = $1 AND NOT e.retracted AND {_visible('$3')} ORDER BY {_NEWEST_FIRST}",
        v.journal_id, v.actor_id, v.access is Access.OWNER,
    )  # fmt: skip
    return [_entry(v, r) for r in rows]


class TimelinePage(msgspec.Struct, frozen=True, kw_only=True):
    journal: c.JournalView
    entries: list[c.EntryView]
    has_more: bool
    activity: list[c.TimelineItem]
    observations: list[c.ObservationView]  # accepted ones; for the owner also pending and private ones


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
    """One page of a timeline in one statement: the journal and the viewer (``_VIEWER``), the page
    of entries with their notes, one per row, and on the row of the first entry the supporters
    (for the owner) and, on an unfiltered first page, the handover steps and observations.
    None when the person may not see the journal; who may see what is decided by ``viewer_of``
    and ``_visible`` alone, exactly as for every other query."""
    first = page <= 1 and not (kind or theme or author)
    args: list[object] = [journal_id, actor_id, own_id, first]
    where = f"e.journal_id = v.journal_id AND NOT e.retracted AND {_visible('v.owner')}"
    where += _filters(args, kind, theme, author)
    args += [limit + 1, (max(page, 1) - 1) * limit]
    statuses = "CASE WHEN v.owner THEN '{accepted,pending,kept_private}'::text[] ELSE '{accepted}'::text[] END"
    sql = (
        f"WITH v AS ({_VIEWER}),"
        f" x AS MATERIALIZED (SELECT {_supporters_sql('v.journal_id', 'v.owner')} AS supporters,"
        f" CASE WHEN $4 THEN {_activity_sql('v.journal_id')} END AS activity,"
        f" CASE WHEN $4 THEN {_observations_sql('v.journal_id', 'v.owner', '$2', statuses)} END AS observations"
        " FROM v),"
        f" page AS (SELECT {_ENTRY_COLUMNS}, {_NOTES}, row_number() OVER (ORDER BY {_NEWEST_FIRST}) AS n"
        f" FROM {S}.entries e, v WHERE {where} ORDER BY {_NEWEST_FIRST} LIMIT ${len(args) - 1} OFFSET ${len(args)})"
        " SELECT v.*, CASE WHEN coalesce(page.n, 1) = 1 THEN x.supporters END AS supporters,"
        " CASE WHEN coalesce(page.n, 1) = 1 THEN x.activity END AS activity,"
        " CASE WHEN coalesce(page.n, 1) = 1 THEN x.observations END AS observations, page.*"
        " FROM v CROSS JOIN x LEFT JOIN page ON true ORDER BY page.n"
    )
    rows = await conn.fetch(sql, *args)
    v = viewer_of(rows[0] if rows else None, actor_id)
    if v is None:
        return None
    found = [_entry(v, r) for r in rows if r["entry_id"] is not None]
    return TimelinePage(
        journal=_journal(v, rows[0]["supporters"]), entries=found[:limit], has_more=len(found) > limit,
        activity=_activity(rows[0]["activity"]), observations=_observations(v, rows[0]["observations"]),
    )  # fmt: skip


async def entry(conn: asyncpg.Connection, v: Viewer, entry_id: UUID) -> c.EntryView | None:
    row = await conn.fetchrow(
        f"SELECT {_ENTRY_COLUMNS}, {_NOTES} FROM {S}.entries e WHERE e.entry_id = $4 AND e.journal_id = $1"
        f" AND NOT e.retracted AND {_visible('$3')}",
        v.journal_id, v.actor_id, v.access is Access.OWNER, entry_id,
    )  # fmt: skip
    return _entry(v, row) if row is not None else None


def _notes(v: Viewer, rows: str | None) -> tuple[c.NoteView, ...]:
    if rows is None:
        return ()
    return tuple(
        c.NoteView(note_id=note_id, author_name=author, text=opened(v, sealed), added_at=added_at)
        for note_id, author, sealed, added_at in _notes_decoder.decode(rows)
    )


def _entry(v: Viewer, r: asyncpg.Record) -> c.EntryView:
    notes = _notes(v, r["notes"])
    return c.EntryView(
        entry_id=r["entry_id"], version=r["version"], kind=r["kind"], text=opened(v, r["text"]),
        helped=opened(v, r["helped"]), mood=r["mood"], themes=tuple(r["themes"]), occurred_on=r["occurred_on"],
        author_id=r["author_id"], author_name=r["author_name"], on_behalf=r["on_behalf"], visibility=r["visibility"],
        needs_confirmation=r["needs_confirmation"], confirmed=r["confirmed"], edited=r["edited"], notes=notes,
    )  # fmt: skip


async def observations(
    conn: asyncpg.Connection, v: Viewer, *, status: tuple[str, ...] | None = None
) -> list[c.ObservationView]:
    sql = f"SELECT {_observations_sql('$1', '$2', '$3', '$4::text[]')}"
    return _observations(v, await conn.fetchval(sql, v.journal_id, v.access is Access.OWNER, v.actor_id, status))


async def supporting(conn: asyncpg.Connection, actor_id: UUID) -> list[c.SupportedJournal]:
    rows = await conn.fetch(
        "SELECT j.journal_id, j.owner_name, j.for_name, s.role, s.status, j.stage,"
        " (j.owner_id IS NULL) AS claim_pending, j.pending_stage, k.key"
        f" FROM {S}.supporters s JOIN {S}.journals j USING (journal_id)"
        f" LEFT JOIN {S}.member_keys k ON k.member_id = j.journal_id WHERE s.supporter_id = $1",
        actor_id,
    )
    journals = []
    for r in rows:
        opener = None
        if r["for_name"] and not r["owner_name"] and r["key"]:  # kept for someone: its name is sealed
            opener = Opener(unwrap(bytes(r["key"]), r["journal_id"]), r["journal_id"])
        fields = {k: r[k] for k in ("journal_id", "role", "status", "stage", "claim_pending", "pending_stage")}
        name = display_name(r["owner_name"], r["for_name"], opener)
        journals.append(c.SupportedJournal(owner_name=name, **fields))
    return sorted(journals, key=lambda j: (j.owner_name.casefold(), j.owner_name))


async def next_steps(conn: asyncpg.Connection, actor_id: UUID) -> c.NextSteps:
    """What waits for the owner in their own journal: a handover step, entries to confirm,
    observations to decide; and the journals they are invited to or support."""
    row = await conn.fetchrow(
        "SELECT j.pending_stage,"
        f" (SELECT coalesce(p.pseudonym, '') FROM {S}.activity a LEFT JOIN {S}.people p ON p.member_id = a.actor_id"
        "  WHERE a.journal_id = j.journal_id AND a.kind = 'proposed' ORDER BY a.at DESC LIMIT 1) AS proposed_by,"
        f" (SELECT count(*) FROM {S}.entries e WHERE e.journal_id = j.journal_id AND e.needs_confirmation"
        "  AND NOT e.confirmed AND NOT e.retracted) AS to_confirm,"
        f" (SELECT count(*) FROM {S}.observations o WHERE o.journal_id = j.journal_id AND o.status = 'pending')"
        "  AS observations,"
        f" EXISTS (SELECT 1 FROM {S}.entries e WHERE e.journal_id = j.journal_id AND NOT e.retracted) AS has_entries"
        f" FROM {S}.journals j WHERE j.owner_id = $1",
        actor_id,
    )
    supported = tuple(await supporting(conn, actor_id))
    if row is None:
        return c.NextSteps(supporting=supported)
    return c.NextSteps(
        has_entries=row["has_entries"], pending_stage=row["pending_stage"],
        proposed_by=(row["proposed_by"] or "") if row["pending_stage"] else "", to_confirm=row["to_confirm"],
        observations=row["observations"], supporting=supported,
    )  # fmt: skip


class ProgressRows(msgspec.Struct, frozen=True, kw_only=True):
    journal: c.JournalView
    points: list[progress.Point]  # oldest first


_points_decoder = msgspec.json.Decoder(list[progress.Point])


async def progress_rows(
    conn: asyncpg.Connection, actor_id: UUID, journal_id: UUID | None, own_id: UUID
) -> ProgressRows | None:
    """In one statement: the journal as the viewer sees it, and every visible, unretracted
    entry's kind, day, mood, themes and when it was recorded (no text), oldest first. None when the person may not
    see the journal (``viewer_of`` decides, as everywhere)."""
    row = await conn.fetchrow(
        f"WITH v AS ({_VIEWER}) SELECT v.*, {_supporters_sql('v.journal_id', 'v.owner')} AS supporters,"
        " (SELECT json_agg(json_build_array(e.kind, e.occurred_on, e.mood, e.themes, e.recorded_at)"
        " ORDER BY e.occurred_on, e.recorded_at)"
        f" FROM {S}.entries e WHERE e.journal_id = v.journal_id AND NOT e.retracted AND {_visible('v.owner')})::text"
        " AS points FROM v",
        journal_id, actor_id, own_id,
    )  # fmt: skip
    v = viewer_of(row, actor_id)
    if v is None or row is None:
        return None
    return ProgressRows(journal=_journal(v, row["supporters"]), points=_points_decoder.decode(row["points"] or "[]"))
