"""Command handlers of the notifications service: mute and unmute (events in the member's own
``mutes-<id>`` stream), and read marks (events in their ``inbox-<id>`` stream, beside the items
they mark, so a replay reads them in the same order); each projected inline. A member who has
left mutes nothing more."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from uuid import UUID

import asyncpg

from services.notifications import forgetting
from services.notifications.domain import inbox, mutes
from services.notifications.events import MuteEvent, inbox_stream, mutes_stream
from services.notifications.inbox import UNREAD, announce
from services.notifications.projections import PROJECTIONS
from shared.bus.rpc import CallContext
from shared.contracts.notifications import MuteRequest, MuteView, ReadAllRequest, ReadRequest, ReadView
from shared.eventstore.store import ANY
from shared.handlers import CommandHandlers, load
from shared.messages import Event, Metadata

_UNREAD = "SELECT read_at IS NULL FROM inbox WHERE notification_id = $1 AND member_id = $2"


class NotificationsHandlers(CommandHandlers):
    projections = PROJECTIONS

    async def mark_read(self, req: ReadRequest, ctx: CallContext) -> ReadView:
        """One of the member's own items is read; anyone else's is not found (whether it exists or not)."""
        async with self._pool.acquire() as conn, conn.transaction():
            unread = await conn.fetchval(_UNREAD, req.notification_id, req.actor_id)
            events = inbox.mark_read(req.actor_id, req.notification_id, unread, self._clock())
            await self._read(conn, req.actor_id, events, ctx)
        return ReadView(marked=len(events))

    async def mark_all_read(self, req: ReadAllRequest, ctx: CallContext) -> ReadView:
        async with self._pool.acquire() as conn, conn.transaction():
            unread = await conn.fetchval(UNREAD, req.actor_id)
            events = inbox.mark_all_read(req.actor_id, unread, self._clock())
            await self._read(conn, req.actor_id, events, ctx)
        return ReadView(marked=unread)

    async def _read(self, conn: asyncpg.Connection, member: UUID, events: Sequence[Event], ctx: CallContext) -> None:
        """Record read marks in the member's inbox stream, and that the inbox changed."""
        version = await self._append(conn, inbox_stream(member), events, ANY, ctx, member)
        await announce(conn, self._store, member, version, Metadata(correlation_id=ctx.correlation_id, actor_id=member))

    async def mute(self, req: MuteRequest, ctx: CallContext) -> MuteView:
        return await self._decide(req, ctx, mutes.mute)

    async def unmute(self, req: MuteRequest, ctx: CallContext) -> MuteView:
        return await self._decide(req, ctx, mutes.unmute)

    async def _decide(self, req: MuteRequest, ctx: CallContext, decide: Callable[..., list[MuteEvent]]) -> MuteView:
        stream = mutes_stream(req.actor_id)
        async with self._pool.acquire() as conn, conn.transaction():
            if not await forgetting.kept(conn, req.actor_id):
                return MuteView(target_kind=req.target_kind, target_id=req.target_id, muted=False)
            version, state = await load(conn, self._store, stream, mutes.evolve)
            events = decide(state, req.actor_id, req.target_kind, req.target_id, self._clock())
            await self._append(conn, stream, events, version, ctx, req.actor_id)
            for event in events:
                state = mutes.evolve(state, event)
        muted = (req.target_kind, req.target_id) in (state or frozenset())
        return MuteView(target_kind=req.target_kind, target_id=req.target_id, muted=muted)
