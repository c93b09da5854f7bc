"""Queries the stories service answers over NATS: who may ask (``access``), then one read that
returns the view (``queries``)."""

from __future__ import annotations

import asyncpg

from services.stories import access, queries
from shared.bus.rpc import CallContext
from shared.contracts import moderation as mc
from shared.contracts import stories as c
from shared.contracts import stories_export as x
from shared.errors import FieldError, Forbidden, Invalid, NotFound, Unauthenticated
from shared.eventstore.store import utcnow
from shared.settings import Settings


def _require_moderator(req: c.Actor) -> None:
    if not access.moderates(queries.who_of(req)):
        raise Forbidden("Only moderators can see this.")


def _out_of_date(message: str) -> Invalid:
    return Invalid(message, errors=(FieldError(field="cursor", message=message),))


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
            raise _out_of_date("This page link is out of date; start again from the newest stories.")
        async with self._pool.acquire() as conn:
            prefs = await queries.preferences(conn, req.actor_id, self._settings.protected_warnings)
            return await queries.feed(conn, theme=req.theme, after=after, prefs=prefs, limit=req.limit)

    async def story(self, req: c.StoryRequest, ctx: CallContext) -> c.StoryView:
        """A story the reader may see (``access.may_see``); anything else is not found (404, never 403)."""
        self._may_read(req)
        async with self._pool.acquire() as conn:
            prefs = await queries.preferences(conn, req.actor_id, self._settings.protected_warnings)
            view = await queries.story(conn, req.story_id, queries.who_of(req), prefs)
        if view is None:
            raise NotFound("We couldn't find that story.")
        return view

    async def mine(self, req: c.Actor, ctx: CallContext) -> c.MineView:
        async with self._pool.acquire() as conn:
            return await queries.mine(conn, queries.member_of(req))

    async def export(self, req: c.Actor, ctx: CallContext) -> x.StoriesExport:
        """Everything of the asking member's, for their download (``queries.export``); nobody else's."""
        async with self._pool.acquire() as conn:
            return await queries.export(conn, req.actor_id)

    async def preferences(self, req: c.Actor, ctx: CallContext) -> c.PreferencesView:
        async with self._pool.acquire() as conn:
            return await queries.preferences(conn, req.actor_id, self._settings.protected_warnings)

    async def messages(self, req: c.Actor, ctx: CallContext) -> c.MessagesView:
        """Private messages moderators sent me about what I wrote (nobody else sees them)."""
        async with self._pool.acquire() as conn:
            return await queries.messages(conn, req.actor_id)

    async def templates(self, req: c.Actor, ctx: CallContext) -> mc.TemplatesView:
        _require_moderator(req)
        async with self._pool.acquire() as conn:
            return await queries.templates(conn)

    async def queue(self, req: mc.QueueRequest, ctx: CallContext) -> mc.QueueView:
        _require_moderator(req)
        after = queries.decode_queue_cursor(req.cursor) if req.cursor else None
        if req.cursor and after is None:
            raise _out_of_date("This page link is out of date; start again from the top of the queue.")
        async with self._pool.acquire() as conn:
            lines, total = await queries.queue(conn, req.only == "reports", after, req.limit, me=req.actor_id)
        more, lines = len(lines) > req.limit, lines[: req.limit]
        last = lines[-1] if more and lines else None
        return mc.QueueView(
            items=tuple(lines), total=total, total_capped=total >= mc.QUEUE_COUNT_CAP,
            next_cursor=queries.encode_queue_cursor(last.urgent, last.queued_at, last.id) if last else None,
        )  # fmt: skip

    async def item(self, req: c.ItemRequest, ctx: CallContext) -> mc.QueueItem:
        _require_moderator(req)
        async with self._pool.acquire() as conn:
            found = await queries.item(conn, req.item_id, req.actor_id, utcnow())
        if found is None:
            raise NotFound("We couldn't find that post.")
        return found

    async def audit(self, req: mc.AuditRequest, ctx: CallContext) -> mc.AuditView:
        _require_moderator(req)
        async with self._pool.acquire() as conn:
            return await queries.audit(conn, req.before, req.limit)
