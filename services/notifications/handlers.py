"""Command handlers of the notifications service: mute and unmute (events in the member's own
stream, projected inline), and read marks (the state of a mailbox, kept in the inbox read model)."""

from __future__ import annotations

from collections.abc import Callable

from services.notifications.domain import mutes
from services.notifications.events import MuteEvent, mutes_stream
from services.notifications.projections import PROJECTIONS
from shared.bus.rpc import CallContext
from shared.contracts.notifications import MuteRequest, MuteView, ReadAllRequest, ReadRequest, ReadView
from shared.errors import NotFound
from shared.handlers import CommandHandlers, load

_READ = "UPDATE inbox SET read_at = $3 WHERE notification_id = $1 AND member_id = $2 AND read_at IS NULL"
_MINE = "SELECT true FROM inbox WHERE notification_id = $1 AND member_id = $2"
_READ_ALL = "UPDATE inbox SET read_at = $2 WHERE member_id = $1 AND read_at IS NULL"


class NotificationsHandlers(CommandHandlers):
    projections = PROJECTIONS

    async def mark_read(self, req: ReadRequest, ctx: CallContext) -> ReadView:
        """One of the member's own items is read; anyone else's is not found (whether it exists or not)."""
        async with self._pool.acquire() as conn, conn.transaction():
            status = await conn.execute(_READ, req.notification_id, req.actor_id, self._clock())
            marked = int(status.split()[-1])
            if not marked and not await conn.fetchval(_MINE, req.notification_id, req.actor_id):
                raise NotFound("That notification is not in your inbox.")
        return ReadView(marked=marked)

    async def mark_all_read(self, req: ReadAllRequest, ctx: CallContext) -> ReadView:
        async with self._pool.acquire() as conn, conn.transaction():
            status = await conn.execute(_READ_ALL, req.actor_id, self._clock())
        return ReadView(marked=int(status.split()[-1]))

    async def mute(self, req: MuteRequest, ctx: CallContext) -> MuteView:
        return await self._decide(req, ctx, mutes.mute)

    async def unmute(self, req: MuteRequest, ctx: CallContext) -> MuteView:
        return await self._decide(req, ctx, mutes.unmute)

    async def _decide(self, req: MuteRequest, ctx: CallContext, decide: Callable[..., list[MuteEvent]]) -> MuteView:
        stream = mutes_stream(req.actor_id)
        async with self._pool.acquire() as conn, conn.transaction():
            version, state = await load(conn, self._store, stream, mutes.evolve)
            events = decide(state, req.actor_id, req.target_kind, req.target_id, self._clock())
            await self._append(conn, stream, events, version, ctx, req.actor_id)
            for event in events:
                state = mutes.evolve(state, event)
        muted = (req.target_kind, req.target_id) in (state or frozenset())
        return MuteView(target_kind=req.target_kind, target_id=req.target_id, muted=muted)
