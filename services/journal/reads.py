"""The journal's query verbs: each asks ``services.journal.queries`` for typed views and composes
the reply, as ``handlers`` answers the commands from the domain. No SQL here."""

from __future__ import annotations

from uuid import UUID

import asyncpg

from services.journal import draft, progress
from services.journal.access import Access
from services.journal.domain.journal import code_hash, own_journal_id
from services.journal.queries import home, lookups, observations, timeline
from services.journal.queries.progress import ProgressRows, progress_rows
from services.journal.queries.viewer import S, Viewer, empty_journal, journal_view, viewer
from shared.bus.rpc import CallContext
from shared.contracts import journal as c
from shared.contracts import supporters as sup
from shared.erasure import is_erased
from shared.errors import NotFound


def _unless_own(journal_id: UUID | None) -> None:
    """Nothing found: a journal the person asked for by id does not exist for them (404, never
    403); their own journal, not started yet, is shown empty."""
    if journal_id is not None:
        raise NotFound("We couldn't find that journal.")


def _timeline_view(found: timeline.TimelinePage, page: int) -> c.TimelineView:
    """Entries, handover steps and decided observations, newest day first; pending observations apart."""
    items = [c.TimelineItem(day=e.occurred_on, kind=e.kind, entry=e) for e in found.entries]
    items += found.activity
    items += [
        c.TimelineItem(
            day=o.added_at.date(), kind="observation", text=o.text, by=o.author_name,
            private=o.status == "kept_private",
        )
        for o in found.observations
        if o.status in ("accepted", "kept_private")  # private ones reach the owner only (see the query)
    ]  # fmt: skip
    items.sort(key=lambda i: i.day, reverse=True)  # stable: entries keep their order within a day
    pending = tuple(o for o in found.observations if o.status == "pending")
    return c.TimelineView(
        journal=found.journal, items=tuple(items), page=max(page, 1), has_more=found.has_more, pending=pending
    )


def _progress_view(journal: c.JournalView, rows: ProgressRows | None) -> c.ProgressView:
    if rows is None:
        return c.ProgressView(
            journal=journal, weeks=(), themes=(), bounce_back_days=(), first=None, last=None, total_victories=0
        )
    first, last = progress.periods_of(rows.span)
    bounce = rows.bounce_back
    return c.ProgressView(
        journal=journal, weeks=progress.weeks_of(rows.weeks), themes=progress.themes_of(rows.themes),
        bounce_back_days=bounce.days, first=first, last=last, total_victories=rows.total_victories,
        bounce_back_typical=bounce.typical, bounce_back_sample=bounce.sample,
    )  # fmt: skip


class JournalReads:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def _viewer(self, conn: asyncpg.Connection, req: c.Actor, journal_id: UUID | None) -> Viewer | None:
        v = await viewer(conn, req.actor_id, journal_id, own_journal_id(req.actor_id))
        if v is None:
            _unless_own(journal_id)
        return v

    async def _own(self, conn: asyncpg.Connection, req: c.Actor) -> Viewer | None:
        """The asker's own journal, as its owner (None before their first write, or when they own none)."""
        v = await self._viewer(conn, req, None)
        return v if v is not None and v.access is Access.OWNER else None

    async def timeline(self, req: c.TimelineRequest, ctx: CallContext) -> c.TimelineView:
        own = own_journal_id(req.actor_id)
        async with self._pool.acquire() as conn:
            found = await timeline.timeline(
                conn, req.actor_id, req.journal_id, own, kind=req.kind, theme=req.theme, author=req.author,
                page=req.page,
            )  # fmt: skip
        if found is None:
            _unless_own(req.journal_id)
            return c.TimelineView(journal=empty_journal(own, req.actor_name), items=(), page=1, has_more=False)
        return _timeline_view(found, req.page)

    async def view(self, req: c.JournalRequest, ctx: CallContext) -> c.JournalView:
        async with self._pool.acquire() as conn:
            v = await self._viewer(conn, req, req.journal_id)
            if v is None:
                return empty_journal(own_journal_id(req.actor_id), req.actor_name)
            return await journal_view(conn, v)

    async def entry(self, req: c.EntryRequest, ctx: CallContext) -> c.EntryView:
        async with self._pool.acquire() as conn:
            found = await timeline.entry(conn, req.actor_id, own_journal_id(req.actor_id), req.entry_id)
        if found is None:
            raise NotFound("We couldn't find that entry.")
        return found

    async def observations(self, req: c.JournalRequest, ctx: CallContext) -> c.ObservationsView:
        async with self._pool.acquire() as conn:
            v = await self._viewer(conn, req, req.journal_id)
            return c.ObservationsView(items=tuple(await observations.observations(conn, v)) if v else ())

    async def supporting(self, req: c.Actor, ctx: CallContext) -> sup.SupportingView:
        async with self._pool.acquire() as conn:
            return sup.SupportingView(journals=tuple(await home.supporting(conn, req.actor_id)))

    async def check_claim(self, req: sup.ClaimCodeRequest, ctx: CallContext) -> sup.ClaimCheck:
        async with self._pool.acquire() as conn:
            return sup.ClaimCheck(valid=await lookups.journal_for_code(conn, code_hash(req.code)) is not None)

    async def next_steps(self, req: c.Actor, ctx: CallContext) -> c.NextSteps:
        async with self._pool.acquire() as conn:
            return await home.next_steps(conn, req.actor_id)

    async def progress(self, req: c.JournalRequest, ctx: CallContext) -> c.ProgressView:
        own = own_journal_id(req.actor_id)
        async with self._pool.acquire() as conn:
            found = await progress_rows(conn, req.actor_id, req.journal_id, own)
        if found is None:
            _unless_own(req.journal_id)
            return _progress_view(empty_journal(own, req.actor_name), None)
        return _progress_view(found.journal, found)

    async def export(self, req: c.JournalRequest, ctx: CallContext) -> c.ExportView:
        async with self._pool.acquire() as conn:
            if await is_erased(conn, S, req.actor_id):
                raise NotFound("There is nothing to export: this account's data has been erased.")
            v = await self._viewer(conn, req, None)
            if v is None:
                empty = empty_journal(own_journal_id(req.actor_id), req.actor_name)
                return c.ExportView(journal=empty, entries=(), observations=())
            if v.access is not Access.OWNER:
                raise NotFound("You have no journal of your own to export.")
            return c.ExportView(
                journal=await journal_view(conn, v), entries=tuple(await timeline.all_entries(conn, v)),
                observations=tuple(await observations.observations(conn, v)),
            )  # fmt: skip

    async def draft_story(self, req: c.DraftRequest, ctx: CallContext) -> c.StoryDraft:
        """A story draft from the asker's own journal only (never one they support)."""
        async with self._pool.acquire() as conn:
            v = await self._own(conn, req)
            found = await timeline.all_entries(conn, v) if v is not None else []
        chosen = set(req.entry_ids)
        picked = [
            e for e in found
            if (not chosen or e.entry_id in chosen)
            and (req.since is None or e.occurred_on >= req.since) and (req.until is None or e.occurred_on <= req.until)
        ]  # fmt: skip
        return draft.compose(picked, req.since, req.until)
