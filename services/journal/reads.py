"""Queries the journal answers over NATS, each limited to what the asker may see."""

from __future__ import annotations

import asyncpg

from services.journal import draft, progress, queries
from services.journal.domain.journal import code_hash, own_journal_id
from shared.bus.rpc import CallContext
from shared.contracts import journal as c
from shared.errors import NotFound


def _unless_own(journal_id: object) -> None:
    """Nothing found: a journal the person asked for by id does not exist for them (404, never
    403); their own journal, not started yet, is shown empty."""
    if journal_id is not None:
        raise NotFound("We couldn't find that journal.")


class JournalReads:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def _viewer(self, conn: asyncpg.Connection, req: c.Actor, journal_id: object) -> queries.Viewer | None:
        v = await queries.viewer(conn, req.actor_id, journal_id, own_journal_id(req.actor_id))  # type: ignore[arg-type]
        if v is None:
            _unless_own(journal_id)
        return v

    async def timeline(self, req: c.TimelineRequest, ctx: CallContext) -> c.TimelineView:
        own = own_journal_id(req.actor_id)
        async with self._pool.acquire() as conn:
            found = await queries.timeline(
                conn,
                req.actor_id,
                req.journal_id,
                own,
                kind=req.kind,
                theme=req.theme,
                author=req.author,
                page=req.page,
            )
        if found is None:
            _unless_own(req.journal_id)
            empty = queries.empty_journal(own, req.actor_name)
            return c.TimelineView(journal=empty, items=(), page=1, has_more=False)
        items = [c.TimelineItem(day=e.occurred_on, kind=e.kind, entry=e) for e in found.entries]
        items += found.activity
        items += [
            c.TimelineItem(
                day=o.added_at.date(),
                kind="observation",
                text=o.text,
                by=o.author_name,
                private=o.status == "kept_private",
            )
            for o in found.observations
            if o.status in ("accepted", "kept_private")  # private ones reach the owner only (see the query)
        ]
        items.sort(key=lambda i: i.day, reverse=True)  # stable: entries keep their order within a day
        pending = tuple(o for o in found.observations if o.status == "pending")
        return c.TimelineView(
            journal=found.journal, items=tuple(items), page=max(req.page, 1), has_more=found.has_more, pending=pending
        )

    async def view(self, req: c.JournalRequest, ctx: CallContext) -> c.JournalView:
        async with self._pool.acquire() as conn:
            v = await self._viewer(conn, req, req.journal_id)
            if v is None:
                return queries.empty_journal(own_journal_id(req.actor_id), req.actor_name)
            return await queries.journal_view(conn, v)

    async def entry(self, req: c.EntryRequest, ctx: CallContext) -> c.EntryView:
        async with self._pool.acquire() as conn:
            journal_id = await conn.fetchval("SELECT journal_id FROM journal.entries WHERE entry_id = $1", req.entry_id)
            v = (
                await queries.viewer(conn, req.actor_id, journal_id, own_journal_id(req.actor_id))
                if journal_id
                else None
            )
            found = await queries.entry(conn, v, req.entry_id) if v else None
        if found is None:
            raise NotFound("We couldn't find that entry.")
        return found

    async def observations(self, req: c.JournalRequest, ctx: CallContext) -> c.ObservationsView:
        async with self._pool.acquire() as conn:
            v = await self._viewer(conn, req, req.journal_id)
            return c.ObservationsView(items=tuple(await queries.observations(conn, v)) if v else ())

    async def supporting(self, req: c.Actor, ctx: CallContext) -> c.SupportingView:
        async with self._pool.acquire() as conn:
            return c.SupportingView(journals=tuple(await queries.supporting(conn, req.actor_id)))

    async def check_claim(self, req: c.ClaimCodeRequest, ctx: CallContext) -> c.ClaimCheck:
        async with self._pool.acquire() as conn:
            return c.ClaimCheck(valid=await queries.journal_for_code(conn, code_hash(req.code)) is not None)

    async def next_steps(self, req: c.Actor, ctx: CallContext) -> c.NextSteps:
        async with self._pool.acquire() as conn:
            return await queries.next_steps(conn, req.actor_id)

    async def progress(self, req: c.JournalRequest, ctx: CallContext) -> c.ProgressView:
        own = own_journal_id(req.actor_id)
        async with self._pool.acquire() as conn:
            found = await queries.progress_rows(conn, req.actor_id, req.journal_id, own)
        if found is None:
            _unless_own(req.journal_id)
            return c.ProgressView(
                journal=queries.empty_journal(own, req.actor_name), weeks=(), themes=(), bounce_back_days=(),
                first=None, last=None, total_victories=0,
            )  # fmt: skip
        points = found.points
        first, last = progress.then_and_now(points)
        return c.ProgressView(
            journal=found.journal, weeks=progress.weekly_mood(points), themes=progress.victories_by_theme(points),
            bounce_back_days=progress.bounce_back(points), first=first, last=last,
            total_victories=sum(p.kind == "victory" for p in points),
        )  # fmt: skip

    async def export(self, req: c.JournalRequest, ctx: CallContext) -> c.ExportView:
        async with self._pool.acquire() as conn:
            v = await self._viewer(conn, req, None)
            if v is None:
                return c.ExportView(
                    journal=queries.empty_journal(own_journal_id(req.actor_id), req.actor_name),
                    entries=(),
                    observations=(),
                )
            if v.access.value != "owner":
                raise NotFound("You have no journal of your own to export.")
            found = await queries.all_entries(conn, v)
            return c.ExportView(
                journal=await queries.journal_view(conn, v), entries=tuple(found),
                observations=tuple(await queries.observations(conn, v)),
            )  # fmt: skip

    async def draft_story(self, req: c.DraftRequest, ctx: CallContext) -> c.StoryDraft:
        """A story draft from the asker's own journal only (never one they support)."""
        async with self._pool.acquire() as conn:
            v = await self._viewer(conn, req, None)
            found = await queries.all_entries(conn, v) if v is not None and v.access.value == "owner" else []
        chosen = set(req.entry_ids)
        picked = [
            e for e in found
            if (not chosen or e.entry_id in chosen)
            and (req.since is None or e.occurred_on >= req.since) and (req.until is None or e.occurred_on <= req.until)
        ]  # fmt: skip
        return draft.compose(picked, req.since, req.until)
