"""Read side of the stories service: SQL -> DTOs, opening sealed text with each author's key.
A post whose author's key was erased is gone from every view."""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Sequence
from uuid import UUID

import asyncpg

from services.stories.trust import Standing
from shared.contracts import stories as c
from shared.crypto import Opener, unwrap

S = "stories"
EXCERPT = 280
_KEYED = f"FROM {S}.posts p JOIN {S}.member_keys k ON k.member_id = p.author_id"
_POST = f"SELECT p.*, k.key {_KEYED}"
# a queue line: no body for a story (its title names it), a reply's body for its opening words
_LINE = (
    "SELECT p.item_id, p.kind, p.story_id, p.author_id, p.pseudonym, p.title, p.status, p.urgent, p.flags,"
    " p.warnings, p.review, p.queued_at, p.submitted_at, p.claimed_by, p.claim_until, p.report_weight,"
    " p.hidden, p.decided_by, coalesce(h.pseudonym, 'another moderator') AS claimed_by_name,"
    f" CASE WHEN p.kind = 'reply' THEN p.body END AS body, k.key {_KEYED}"
    f" LEFT JOIN {S}.people h ON h.member_id = p.claimed_by"
)


class Opened:
    """The sealed columns of one row, opened with its author's key (one cipher per row)."""

    def __init__(self, row: asyncpg.Record) -> None:
        self._row = row
        self._opener = Opener(unwrap(bytes(row["key"]), row["author_id"]), row["author_id"])

    def __getitem__(self, column: str) -> str:
        sealed = self._row[column]
        return self._opener.open(sealed) if sealed else ""


def excerpt(text: str) -> str:
    if len(text) <= EXCERPT:
        return text
    return text[:EXCERPT].rsplit(" ", 1)[0].rstrip(",.;:") + "…"


def encode_cursor(at: dt.datetime, item: UUID) -> str:
    return base64.urlsafe_b64encode(f"{at.isoformat()}|{item}".encode()).decode()


def decode_cursor(cursor: str) -> tuple[dt.datetime, UUID] | None:
    """The position a cursor names, or None when it is not one of ours."""
    try:
        at, _, item = base64.urlsafe_b64decode(cursor.encode()).decode().partition("|")
        return dt.datetime.fromisoformat(at), UUID(item)
    except (ValueError, UnicodeError):
        return None


async def standing(conn: asyncpg.Connection, member: UUID) -> Standing:
    """Since when the member is here (from accounts' events) and what their posts earned them."""
    row = await conn.fetchrow(
        f"SELECT (SELECT registered_at FROM {S}.people WHERE member_id = $1) AS registered_at,"
        f" t.approved, t.removed FROM (SELECT 1) one LEFT JOIN {S}.trust t ON t.member_id = $1",
        member,
    )
    return Standing(registered_at=row["registered_at"], approved=row["approved"] or 0, removed=row["removed"] or 0)


async def preferences(
    conn: asyncpg.Connection, member: UUID | None, protected: Sequence[str] = ()
) -> c.PreferencesView:
    """The reader's choice; until they make one, the ``protected`` warnings are blurred."""
    default = c.PreferencesView(blur=tuple(protected))
    if member is None:
        return default
    row = await conn.fetchrow(f"SELECT hide, blur FROM {S}.readers WHERE member_id = $1", member)
    return c.PreferencesView(hide=tuple(row["hide"]), blur=tuple(row["blur"]), chosen=True) if row else default


async def feed(
    conn: asyncpg.Connection, *, theme: str, after: tuple[dt.datetime, UUID] | None, hide: Sequence[str], limit: int
) -> list[asyncpg.Record]:
    """Published, visible stories newest first, ``limit + 1`` of them (the extra says there is more)."""
    at, item = after or (None, None)
    return list(await conn.fetch(
        f"{_POST} WHERE p.kind = 'story' AND p.status = 'published' AND NOT p.hidden"
        " AND ($1 = '' OR p.themes @> ARRAY[$1]) AND NOT (p.warnings && $2::text[])"
        " AND ($3::timestamptz IS NULL OR (p.published_at, p.item_id) < ($3, $4))"
        " ORDER BY p.published_at DESC, p.item_id DESC LIMIT $5",
        theme, list(hide), at, item, limit + 1,
    ))  # fmt: skip


async def post(conn: asyncpg.Connection, item: UUID) -> asyncpg.Record | None:
    row: asyncpg.Record | None = await conn.fetchrow(f"{_POST} WHERE p.item_id = $1", item)
    return row


async def moderated(conn: asyncpg.Connection, item: UUID) -> asyncpg.Record | None:
    """One post as a moderator sees it, with the name of whoever holds a claim on it."""
    row: asyncpg.Record | None = await conn.fetchrow(
        f"SELECT p.*, coalesce(h.pseudonym, 'another moderator') AS claimed_by_name, k.key {_KEYED}"
        f" LEFT JOIN {S}.people h ON h.member_id = p.claimed_by WHERE p.item_id = $1",
        item,
    )
    return row


async def replies(conn: asyncpg.Connection, story: UUID, reader: UUID | None, everything: bool) -> list[asyncpg.Record]:
    """Replies a reader may see: visible ones, their own, or (story author, moderators) all but hidden."""
    return list(await conn.fetch(
        f"{_POST} WHERE p.kind = 'reply' AND p.story_id = $1 AND (p.author_id = $2 OR"
        " (p.status = 'published' AND NOT p.hidden AND ($3 OR NOT p.hidden_by_author)))"
        " ORDER BY p.submitted_at LIMIT 500",
        story, reader, everything,
    ))  # fmt: skip


async def counts(conn: asyncpg.Connection, story: UUID) -> dict[str, int]:
    rows = await conn.fetch(f"SELECT kind, count(*) FROM {S}.encouragements WHERE story_id = $1 GROUP BY kind", story)
    return {r["kind"]: r["count"] for r in rows}


async def sent(conn: asyncpg.Connection, story: UUID, reader: UUID) -> tuple[str, ...]:
    rows = await conn.fetch(
        f"SELECT kind FROM {S}.encouragements WHERE story_id = $1 AND reader_id = $2 ORDER BY kind", story, reader
    )
    return tuple(r["kind"] for r in rows)


async def mine(conn: asyncpg.Connection, author: UUID) -> list[asyncpg.Record]:
    return list(await conn.fetch(f"{_POST} WHERE p.author_id = $1 ORDER BY p.updated_at DESC LIMIT 200", author))


QueuePosition = tuple[bool, dt.datetime, UUID]


def encode_queue_cursor(urgent: bool, at: dt.datetime, item: UUID) -> str:
    return ("u" if urgent else "n") + encode_cursor(at, item)


def decode_queue_cursor(cursor: str) -> QueuePosition | None:
    """The queue position a cursor names, or None when it is not one of ours."""
    found = decode_cursor(cursor[1:]) if cursor[:1] in ("u", "n") else None
    return (cursor[0] == "u", *found) if found else None


async def queue(
    conn: asyncpg.Connection,
    only_reports: bool,
    after: QueuePosition | None,
    limit: int,
    cap: int = c.QUEUE_COUNT_CAP,
) -> tuple[list[asyncpg.Record], int]:
    """Items waiting for a moderator, urgent first, then oldest first: ``limit + 1`` of them after the
    position (the extra says there is more), and how many wait in all, counted up to a cap."""
    where = "p.review IS NOT NULL" + (" AND p.report_weight > 0" if only_reports else "")
    urgent, at, item = after or (None, None, None)
    rows = await conn.fetch(
        f"{_LINE} WHERE {where} AND ($1::boolean IS NULL OR p.urgent < $1"
        " OR (p.urgent = $1 AND (p.queued_at, p.item_id) > ($2, $3)))"
        " ORDER BY p.urgent DESC, p.queued_at, p.item_id LIMIT $4",
        urgent, at, item, limit + 1,
    )  # fmt: skip
    total = await conn.fetchval(f"SELECT count(*) FROM (SELECT 1 FROM {S}.posts p WHERE {where} LIMIT $1) waiting", cap)
    return list(rows), int(total)


async def queue_figures(conn: asyncpg.Connection) -> dict[str, float]:
    """How many items wait for a moderator, how many of them are urgent, and the oldest one's age."""
    row = await conn.fetchrow(
        f"SELECT count(*) AS waiting, count(*) FILTER (WHERE urgent) AS urgent,"
        f" coalesce(extract(epoch FROM now() - min(queued_at)), 0) AS oldest"
        f" FROM {S}.posts WHERE review IS NOT NULL"
    )
    return {
        "moderation_queue_items": float(row["waiting"]),
        "moderation_queue_urgent_items": float(row["urgent"]),
        "moderation_queue_oldest_seconds": float(row["oldest"]),
    }


async def report_counts(conn: asyncpg.Connection, items: Sequence[UUID]) -> dict[UUID, tuple[c.ReportCount, ...]]:
    rows = await conn.fetch(
        f"SELECT item_id, reason, count(*) FROM {S}.reports WHERE item_id = ANY($1::uuid[])"
        " GROUP BY item_id, reason ORDER BY item_id, count(*) DESC",
        list(items),
    )
    found: dict[UUID, list[c.ReportCount]] = {}
    for r in rows:
        found.setdefault(r["item_id"], []).append(c.ReportCount(reason=r["reason"], count=r["count"]))
    return {k: tuple(v) for k, v in found.items()}


async def pseudonym(conn: asyncpg.Connection, member: UUID | None) -> str:
    if member is None:
        return ""
    found = await conn.fetchval(f"SELECT pseudonym FROM {S}.people WHERE member_id = $1", member)
    return str(found) if found else "a moderator"


async def report_notes(conn: asyncpg.Connection, item: UUID) -> list[asyncpg.Record]:
    """Reporters' notes on an item, each with its reporter's key to open it (never their name)."""
    return list(await conn.fetch(
        f"SELECT r.note, r.reporter_id AS author_id, k.key FROM {S}.reports r"
        f" JOIN {S}.member_keys k ON k.member_id = r.reporter_id WHERE r.item_id = $1 AND r.note <> ''"
        " ORDER BY r.reported_at LIMIT 50",
        item,
    ))  # fmt: skip


async def reach_outs(conn: asyncpg.Connection, item: UUID) -> list[asyncpg.Record]:
    return list(await conn.fetch(
        f"SELECT m.sent_at, m.template_name, coalesce(p.pseudonym, 'a moderator') AS moderator"
        f" FROM {S}.messages m LEFT JOIN {S}.people p ON p.member_id = m.moderator_id"
        " WHERE m.item_id = $1 ORDER BY m.sent_at",
        item,
    ))  # fmt: skip


async def messages_for(conn: asyncpg.Connection, member: UUID, limit: int = 20) -> list[asyncpg.Record]:
    """Private messages moderators sent this member, newest first, with the post they are about."""
    return list(await conn.fetch(
        f"SELECT m.message_id, m.item_id, m.body, m.sent_at, p.kind, p.title, p.author_id, k.key"
        f" FROM {S}.messages m JOIN {S}.posts p ON p.item_id = m.item_id"
        f" JOIN {S}.member_keys k ON k.member_id = m.member_id"
        " WHERE m.member_id = $1 ORDER BY m.sent_at DESC LIMIT $2",
        member, limit,
    ))  # fmt: skip


async def templates(conn: asyncpg.Connection) -> dict[UUID, asyncpg.Record]:
    rows = await conn.fetch(f"SELECT template_id, name, body FROM {S}.templates ORDER BY saved_at")
    return {r["template_id"]: r for r in rows}


async def audit(conn: asyncpg.Connection, before: int | None, limit: int) -> list[asyncpg.Record]:
    """Actions newest first, each with the item's author key and sealed title (or a reply's body)."""
    return list(await conn.fetch(
        f"SELECT a.*, coalesce(m.pseudonym, 'a moderator') AS moderator, p.author_id, p.title,"
        f" CASE WHEN p.kind = 'reply' THEN p.body END AS body, k.key FROM {S}.audit a"
        f" LEFT JOIN {S}.people m ON m.member_id = a.moderator_id"
        f" LEFT JOIN {S}.posts p ON p.item_id = a.item_id"
        f" LEFT JOIN {S}.member_keys k ON k.member_id = p.author_id"
        " WHERE ($1::bigint IS NULL OR a.seq < $1) ORDER BY a.seq DESC LIMIT $2",
        before, limit + 1,
    ))  # fmt: skip
