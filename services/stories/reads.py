"""Queries the stories service answers over NATS, each limited to what the asker may see."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

import asyncpg
import msgspec

from services.stories import queries
from services.stories.crisis import DEFAULT_TEMPLATES
from shared.bus.rpc import CallContext
from shared.contracts import stories as c
from shared.errors import FieldError, Forbidden, Invalid, NotFound, Unauthenticated
from shared.eventstore.store import utcnow
from shared.settings import Settings

MODERATORS = frozenset({"moderator", "admin"})
SUGGESTS = "suggests warning: "  # how a suggested warning is noted among the flags (handlers.screened)


def _moderator(req: c.Actor | c.Reader) -> bool:
    return bool(MODERATORS & set(req.roles)) and req.actor_id is not None


def _require_moderator(req: c.Actor) -> None:
    if not _moderator(req):
        raise Forbidden("Only moderators can see this.")


def _readable(row: asyncpg.Record | None, req: c.Reader) -> asyncpg.Record:
    """A post the reader may see; anything else is not found (404, never 403)."""
    if row is None:
        raise NotFound("We couldn't find that story.")
    if req.actor_id is not None and (row["author_id"] == req.actor_id or _moderator(req)):
        return row
    if row["status"] != "published" or row["hidden"] or row["hidden_by_author"]:
        raise NotFound("We couldn't find that story.")
    return row


class StoriesReads:
    def __init__(self, pool: asyncpg.Pool, settings: Settings) -> None:
        self._pool = pool
        self._settings = settings

    def _may_read(self, req: c.Reader) -> None:
        if req.actor_id is None and not self._settings.stories_public:
            raise Unauthenticated("Please sign in to read stories.")

    async def feed(self, req: c.FeedRequest, ctx: CallContext) -> c.FeedView:
        self._may_read(req)
        after = queries.decode_cursor(req.cursor) if req.cursor else None
        if req.cursor and after is None:
            message = "This page link is out of date; start again from the newest stories."
            raise Invalid(message, errors=(FieldError(field="cursor", message=message),))
        async with self._pool.acquire() as conn:
            prefs = await queries.preferences(conn, req.actor_id, self._settings.protected_warnings)
            rows = await queries.feed(conn, theme=req.theme, after=after, hide=prefs.hide, limit=req.limit)
        more = len(rows) > req.limit
        rows = rows[: req.limit]
        items = tuple(
            c.StoryCard(
                id=r["item_id"], pseudonym=r["pseudonym"], title=text["title"], excerpt=queries.excerpt(text["body"]),
                themes=tuple(r["themes"]), warnings=tuple(r["warnings"]), published_at=r["published_at"],
                blurred=bool(set(r["warnings"]) & set(prefs.blur)),
            )
            for r, text in ((r, queries.Opened(r)) for r in rows)
        )  # fmt: skip
        cursor = queries.encode_cursor(rows[-1]["published_at"], rows[-1]["item_id"]) if more and rows else None
        return c.FeedView(items=items, next_cursor=cursor, theme=req.theme, hide=prefs.hide, blur=prefs.blur)

    async def story(self, req: c.StoryRequest, ctx: CallContext) -> c.StoryView:
        self._may_read(req)
        async with self._pool.acquire() as conn:
            row = _readable(await queries.post(conn, req.story_id), req)
            if row["kind"] != "story":
                raise NotFound("We couldn't find that story.")
            mine = row["author_id"] == req.actor_id
            insider = mine or _moderator(req)
            replies = await queries.replies(conn, req.story_id, req.actor_id, insider)
            counts = await queries.counts(conn, req.story_id) if mine else {}
            sent = await queries.sent(conn, req.story_id, req.actor_id) if req.actor_id else ()
            prefs = await queries.preferences(conn, req.actor_id, self._settings.protected_warnings)
        text = queries.Opened(row)
        return c.StoryView(
            id=row["item_id"], pseudonym=row["pseudonym"], title=text["title"], body=text["body"], themes=tuple(row["themes"]), warnings=tuple(row["warnings"]),
            status=row["status"], submitted_at=row["submitted_at"], published_at=row["published_at"], mine=mine,
            counts=counts, sent=sent, replies=tuple(_reply(r, req.actor_id) for r in replies),
            reason=row["reason"] if insider else "", guidance=row["guidance"] if insider else "",
            appealed=row["appealed"] if insider else False, urgent=row["urgent"] if insider else False,
            blurred=not mine and bool(set(row["warnings"]) & {*prefs.hide, *prefs.blur}),
            suggested=_suggested(row["flags"], row["warnings"]) if mine else (),
        )  # fmt: skip

    async def mine(self, req: c.Actor, ctx: CallContext) -> c.MineView:
        async with self._pool.acquire() as conn:
            rows = await queries.mine(conn, req.actor_id)
        return c.MineView(items=tuple(_submission(r) for r in rows))

    async def preferences(self, req: c.Actor, ctx: CallContext) -> c.PreferencesView:
        async with self._pool.acquire() as conn:
            return await queries.preferences(conn, req.actor_id, self._settings.protected_warnings)

    async def messages(self, req: c.Actor, ctx: CallContext) -> c.MessagesView:
        """Private messages moderators sent me about what I wrote (nobody else sees them)."""
        async with self._pool.acquire() as conn:
            rows = await queries.messages_for(conn, req.actor_id)
        items = []
        for r in rows:
            text = queries.Opened(r)
            items.append(c.MessageView(
                id=r["message_id"], item_id=r["item_id"], kind=r["kind"], title=text["title"], body=text["body"],
                sent_at=r["sent_at"],
            ))  # fmt: skip
        return c.MessagesView(items=tuple(items))

    async def templates(self, req: c.Actor, ctx: CallContext) -> c.TemplatesView:
        _require_moderator(req)
        async with self._pool.acquire() as conn:
            saved = await queries.templates(conn)
        defaults = [c.TemplateView(id=t.template_id, name=t.name, body=t.body) for t in DEFAULT_TEMPLATES]
        items = [
            c.TemplateView(id=d.id, name=saved[d.id]["name"], body=saved[d.id]["body"]) if d.id in saved else d
            for d in defaults
        ]
        known = {d.id for d in defaults}
        items += [c.TemplateView(id=k, name=r["name"], body=r["body"]) for k, r in saved.items() if k not in known]
        return c.TemplatesView(items=tuple(items))

    async def queue(self, req: c.QueueRequest, ctx: CallContext) -> c.QueueView:
        _require_moderator(req)
        after = queries.decode_queue_cursor(req.cursor) if req.cursor else None
        if req.cursor and after is None:
            message = "This page link is out of date; start again from the top of the queue."
            raise Invalid(message, errors=(FieldError(field="cursor", message=message),))
        async with self._pool.acquire() as conn:
            rows, total = await queries.queue(conn, req.only == "reports", after, req.limit)
            more, rows = len(rows) > req.limit, rows[: req.limit]
            # a line without weight has no reports: each weighs something (trust.report_weight)
            reported = [r["item_id"] for r in rows if r["report_weight"] > 0]
            reports = await queries.report_counts(conn, reported) if reported else {}
        now, last = utcnow(), rows[-1] if rows else None
        cursor = (
            queries.encode_queue_cursor(last["urgent"], last["queued_at"], last["item_id"]) if more and last else None
        )
        return c.QueueView(
            items=tuple(_line(r, req.actor_id, now, reports.get(r["item_id"], ())) for r in rows),
            total=total, total_capped=total >= c.QUEUE_COUNT_CAP, next_cursor=cursor,
        )  # fmt: skip

    async def item(self, req: c.ItemRequest, ctx: CallContext) -> c.QueueItem:
        _require_moderator(req)
        async with self._pool.acquire() as conn:
            row = await queries.moderated(conn, req.item_id)
            if row is None:
                raise NotFound("We couldn't find that post.")
            reports = await queries.report_counts(conn, [req.item_id])
            decider = await queries.pseudonym(conn, row["decided_by"])
            notes = [queries.Opened(n)["note"] for n in await queries.report_notes(conn, req.item_id)]
            sent = [c.SentMessage(at=m["sent_at"], moderator=m["moderator"], template_name=m["template_name"])
                    for m in await queries.reach_outs(conn, req.item_id)]  # fmt: skip
        item = _queued(row, req.actor_id, utcnow(), reports.get(req.item_id, ()))
        return msgspec.structs.replace(
            item, decided_by_name=decider, report_notes=tuple(notes), reached_out=tuple(sent)
        )

    async def audit(self, req: c.AuditRequest, ctx: CallContext) -> c.AuditView:
        _require_moderator(req)
        async with self._pool.acquire() as conn:
            rows = await queries.audit(conn, req.before, req.limit)
        more = len(rows) > req.limit
        rows = rows[: req.limit]
        items = tuple(
            c.AuditEntry(
                seq=r["seq"], at=r["at"], moderator=r["moderator"], action=r["action"], item_id=r["item_id"],
                kind=r["kind"], title=_title(r), reason=r["reason"], note=r["note"],
            )
            for r in rows
        )  # fmt: skip
        return c.AuditView(items=items, next_before=rows[-1]["seq"] if more and rows else None)


def _title(r: asyncpg.Record) -> str:
    """An item's name in the audit: a story's title, a reply's opening words ("" once it is erased)."""
    if r["key"] is None:
        return ""
    text = queries.Opened(r)
    return text["title"] if r["kind"] == "story" else queries.excerpt(text["body"])[:80]


def _suggested(flags: list[str], chosen: list[str]) -> tuple[str, ...]:
    """The warnings screening suggested that the author has not picked (shown when they revise)."""
    found = (f.removeprefix(SUGGESTS) for f in flags if f.startswith(SUGGESTS))
    return tuple(w for w in dict.fromkeys(found) if w not in chosen and w in c.WARNINGS)


def _reply(r: asyncpg.Record, reader: UUID | None) -> c.ReplyView:
    return c.ReplyView(
        id=r["item_id"], pseudonym=r["pseudonym"], body=queries.Opened(r)["body"], status=r["status"],
        submitted_at=r["submitted_at"], mine=r["author_id"] == reader, hidden_by_author=r["hidden_by_author"],
    )  # fmt: skip


def _submission(r: asyncpg.Record) -> c.Submission:
    text = queries.Opened(r)
    body = text["body"]
    return c.Submission(
        id=r["item_id"], kind=r["kind"], story_id=r["story_id"], title=queries.excerpt(text["title"] or body)[:120],
        excerpt=queries.excerpt(body), status=r["status"], urgent=r["urgent"],
        reason=r["reason"], guidance=r["guidance"], appealed=r["appealed"], appeal_note=r["appeal_note"],
        hidden=r["hidden"], updated_at=r["updated_at"],
    )  # fmt: skip


def _line(r: asyncpg.Record, me: UUID, now: dt.datetime, reports: tuple[c.ReportCount, ...]) -> c.QueueLine:
    return c.QueueLine(**_line_fields(r, queries.Opened(r), me, now, reports))


def _queued(r: asyncpg.Record, me: UUID, now: dt.datetime, reports: tuple[c.ReportCount, ...]) -> c.QueueItem:
    text = queries.Opened(r)
    body = text["body"]
    return c.QueueItem(
        **_line_fields(r, text, me, now, reports), body=body, themes=tuple(r["themes"]),
        claim_until=r["claim_until"] if _claimed(r, now) else None, reason=r["reason"], guidance=r["guidance"],
        appeal_statement=text["appeal_statement"],
    )  # fmt: skip


def _claimed(r: asyncpg.Record, now: dt.datetime) -> bool:
    return r["claimed_by"] is not None and r["claim_until"] is not None and r["claim_until"] > now


def _line_fields(
    r: asyncpg.Record, text: queries.Opened, me: UUID, now: dt.datetime, reports: tuple[c.ReportCount, ...]
) -> dict[str, Any]:
    claimed, queued_at = _claimed(r, now), r["queued_at"] or r["submitted_at"]
    title = text["title"] if r["kind"] == "story" else queries.excerpt(text["body"])[:80]
    return {
        "id": r["item_id"], "kind": r["kind"], "story_id": r["story_id"], "pseudonym": r["pseudonym"],
        "title": title, "status": r["status"], "urgent": r["urgent"], "flags": tuple(r["flags"]),
        "warnings": tuple(r["warnings"]), "review": r["review"] or "", "queued_at": queued_at,
        "age_seconds": max(0, int((now - queued_at).total_seconds())), "report_weight": r["report_weight"],
        "claimed_by_me": claimed and r["claimed_by"] == me, "claimed_by_other": claimed and r["claimed_by"] != me,
        "claimed_by_name": r["claimed_by_name"] if claimed else "", "reports": reports, "hidden": r["hidden"],
        "decided_by_me": r["decided_by"] == me and r["review"] == "appeal",
    }  # fmt: skip
