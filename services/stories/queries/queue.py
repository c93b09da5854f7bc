"""Reads for moderators: the queue, one item, the audit, reach-out templates and queue figures."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from uuid import UUID

import asyncpg
import msgspec

from services.stories import access
from services.stories.crisis import DEFAULT_TEMPLATES
from services.stories.queries.common import KEYED, Opened, QueuePosition, S, moderator_join, moderator_name, named
from shared.contracts import moderation as mc
from shared.eventstore.store import utcnow

# a queue line: no body for a story (its title names it), a reply's body for its opening words
_LINE = (
    "SELECT p.item_id, p.kind, p.story_id, p.author_id, p.pseudonym, p.title, p.status, p.urgent, p.flags,"
    " p.warnings, p.review, p.queued_at, p.submitted_at, p.claimed_by, p.claim_until, p.report_weight,"
    " p.hidden, p.decided_by, coalesce(h.pseudonym, 'another moderator') AS claimed_by_name,"
    f" CASE WHEN p.kind = 'reply' THEN p.body END AS body, k.key {KEYED}"
    f" LEFT JOIN {S}.people h ON h.member_id = p.claimed_by"
)


async def queue(
    conn: asyncpg.Connection, only_reports: bool, after: QueuePosition | None, limit: int,
    cap: int = mc.QUEUE_COUNT_CAP, *, me: UUID | None = None, now: dt.datetime | None = None,
) -> tuple[list[mc.QueueLine], int]:  # fmt: skip
    """Items waiting for a moderator (``me``), urgent first, then oldest first: ``limit + 1`` of them after
    the position (the extra says there is more), and how many wait in all, counted up to a cap."""
    where = "p.review IS NOT NULL" + (" AND p.report_weight > 0" if only_reports else "")
    urgent, at, item = after or (None, None, None)
    rows = await conn.fetch(
        f"{_LINE} WHERE {where} AND ($1::boolean IS NULL OR p.urgent < $1"
        " OR (p.urgent = $1 AND (p.queued_at, p.item_id) > ($2, $3)))"
        " ORDER BY p.urgent DESC, p.queued_at, p.item_id LIMIT $4",
        urgent, at, item, limit + 1,
    )  # fmt: skip
    total = await conn.fetchval(f"SELECT count(*) FROM (SELECT 1 FROM {S}.posts p WHERE {where} LIMIT $1) waiting", cap)
    # a line without weight has no reports: each weighs something (trust.report_weight)
    reports = await _report_counts(conn, [r["item_id"] for r in rows[:limit] if r["report_weight"] > 0])
    now = now or utcnow()
    return [_line(r, me, now, reports.get(r["item_id"], ())) for r in rows], int(total)


async def item(conn: asyncpg.Connection, item_id: UUID, me: UUID, now: dt.datetime) -> mc.QueueItem | None:
    """One post as a moderator sees it: who holds a claim, who decided, reporters' notes, messages sent."""
    row = await conn.fetchrow(
        f"SELECT p.*, coalesce(h.pseudonym, 'another moderator') AS claimed_by_name, k.key {KEYED}"
        f" LEFT JOIN {S}.people h ON h.member_id = p.claimed_by WHERE p.item_id = $1",
        item_id,
    )
    if row is None:
        return None
    reports = await _report_counts(conn, [item_id])
    text, line = Opened(row), _line(row, me, now, reports.get(item_id, ()))
    return mc.QueueItem(
        **msgspec.structs.asdict(line), body=text["body"], themes=tuple(row["themes"]),
        claim_until=row["claim_until"] if _claimed(row, now) else None, reason=row["reason"],
        guidance=row["guidance"], appeal_statement=text["appeal_statement"],
        decided_by_name=await _pseudonym(conn, row["decided_by"]), report_notes=await _report_notes(conn, item_id),
        reached_out=await _reach_outs(conn, item_id),
    )  # fmt: skip


def _claimed(r: asyncpg.Record, now: dt.datetime) -> bool:
    return r["claimed_by"] is not None and r["claim_until"] is not None and r["claim_until"] > now


def _line(r: asyncpg.Record, me: UUID | None, now: dt.datetime, reports: tuple[mc.ReportCount, ...]) -> mc.QueueLine:
    claimed, queued_at, text = _claimed(r, now), r["queued_at"] or r["submitted_at"], Opened(r)
    return mc.QueueLine(
        id=r["item_id"], kind=r["kind"], story_id=r["story_id"], pseudonym=text.name(),
        title=named(r["kind"], text), status=r["status"], urgent=r["urgent"], flags=tuple(r["flags"]),
        warnings=tuple(r["warnings"]), review=r["review"] or "", queued_at=queued_at,
        age_seconds=max(0, int((now - queued_at).total_seconds())), report_weight=r["report_weight"],
        claimed_by_me=claimed and r["claimed_by"] == me, claimed_by_other=claimed and r["claimed_by"] != me,
        claimed_by_name=r["claimed_by_name"] if claimed else "", reports=reports, hidden=r["hidden"],
        decided_by_me=access.judges_own_decision(r["decided_by"], r["review"], me),
    )  # fmt: skip


async def _report_counts(conn: asyncpg.Connection, items: Sequence[UUID]) -> dict[UUID, tuple[mc.ReportCount, ...]]:
    if not items:
        return {}
    rows = await conn.fetch(
        f"SELECT item_id, reason, count(*) FROM {S}.reports WHERE item_id = ANY($1::uuid[])"
        " GROUP BY item_id, reason ORDER BY item_id, count(*) DESC",
        list(items),
    )
    found: dict[UUID, list[mc.ReportCount]] = {}
    for r in rows:
        found.setdefault(r["item_id"], []).append(mc.ReportCount(reason=r["reason"], count=r["count"]))
    return {k: tuple(v) for k, v in found.items()}


async def _pseudonym(conn: asyncpg.Connection, member: UUID | None) -> str:
    if member is None:
        return ""
    return str(
        await conn.fetchval(
            f"SELECT {moderator_name('m')} FROM (SELECT $1::uuid AS id) one{moderator_join('m', 'one.id')}", member
        )
    )


async def _report_notes(conn: asyncpg.Connection, item: UUID) -> tuple[str, ...]:
    """Reporters' notes on an item, each opened with its reporter's key (never their name)."""
    rows = await conn.fetch(
        f"SELECT r.note, r.reporter_id AS author_id, k.key FROM {S}.reports r"
        f" JOIN {S}.member_keys k ON k.member_id = r.reporter_id WHERE r.item_id = $1 AND r.note <> ''"
        " ORDER BY r.reported_at LIMIT 50",
        item,
    )  # fmt: skip
    return tuple(Opened(r)["note"] for r in rows)


async def _reach_outs(conn: asyncpg.Connection, item: UUID) -> tuple[mc.SentMessage, ...]:
    rows = await conn.fetch(
        f"SELECT m.sent_at, m.template_name, {moderator_name('p')} AS moderator"
        f" FROM {S}.messages m{moderator_join('p', 'm.moderator_id')}"
        " WHERE m.item_id = $1 ORDER BY m.sent_at",
        item,
    )  # fmt: skip
    return tuple(
        mc.SentMessage(at=m["sent_at"], moderator=m["moderator"], template_name=m["template_name"]) for m in rows
    )


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


async def templates(conn: asyncpg.Connection) -> mc.TemplatesView:
    """The defaults (or a moderator's edit of one), then templates moderators added."""
    saved = {
        r["template_id"]: mc.TemplateView(id=r["template_id"], name=r["name"], body=r["body"])
        for r in await conn.fetch(f"SELECT template_id, name, body FROM {S}.templates ORDER BY saved_at")
    }
    defaults = [mc.TemplateView(id=t.template_id, name=t.name, body=t.body) for t in DEFAULT_TEMPLATES]
    items = [saved.get(d.id, d) for d in defaults]
    known = {d.id for d in defaults}
    return mc.TemplatesView(items=(*items, *(v for k, v in saved.items() if k not in known)))


async def audit(conn: asyncpg.Connection, before: int | None, limit: int) -> mc.AuditView:
    """Actions newest first, each naming its item (opened with the author's key; "" once erased)."""
    rows = await conn.fetch(
        f"SELECT a.*, {moderator_name('m')} AS moderator, p.author_id, p.title,"
        f" CASE WHEN p.kind = 'reply' THEN p.body END AS body, k.key FROM {S}.audit a"
        f"{moderator_join('m', 'a.moderator_id')}"
        f" LEFT JOIN {S}.posts p ON p.item_id = a.item_id"
        f" LEFT JOIN {S}.member_keys k ON k.member_id = p.author_id"
        " WHERE ($1::bigint IS NULL OR a.seq < $1) ORDER BY a.seq DESC LIMIT $2",
        before, limit + 1,
    )  # fmt: skip
    more, rows = len(rows) > limit, rows[:limit]
    items = tuple(
        mc.AuditEntry(
            seq=r["seq"], at=r["at"], moderator=r["moderator"], action=r["action"], item_id=r["item_id"],
            kind=r["kind"], title=named(r["kind"], Opened(r)) if r["key"] is not None else "", reason=r["reason"],
            note=r["note"],
        )
        for r in rows
    )  # fmt: skip
    return mc.AuditView(items=items, next_before=rows[-1]["seq"] if more and rows else None)
