"""Preferences over NATS: read, choose (events in the member's ``preferences-<id>`` stream,
projected inline), and one-click unsubscribe from a signed link. Choosing also moves the
member's digest and reminder jobs to their next time, in the same transaction. A member who has
left chooses nothing more (an unsubscribe link in a mail they kept is done: nothing is sent them)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import asyncpg

from services.notifications import forgetting, links, schedule
from services.notifications.domain import preferences as domain
from services.notifications.events import preferences_stream
from services.notifications.prefs_projection import READ, decoded
from services.notifications.projections import PROJECTIONS
from shared.bus.rpc import CallContext
from shared.contracts.notification_prefs import (
    PreferencesRequest,
    PreferencesView,
    SetPreferencesRequest,
    UnsubscribeRequest,
    UnsubscribeView,
)
from shared.errors import Forbidden
from shared.eventstore.store import EventStore, utcnow
from shared.handlers import CommandHandlers, load


class PreferenceHandlers(CommandHandlers):
    projections = PROJECTIONS

    def __init__(
        self, pool: asyncpg.Pool, store: EventStore, *, secret_key: str, clock: Callable[[], dt.datetime] = utcnow
    ) -> None:
        super().__init__(pool, store, clock)
        self._secret = secret_key

    async def preferences(self, req: PreferencesRequest, ctx: CallContext) -> PreferencesView:
        async with self._pool.acquire() as conn:
            prefs = decoded(await conn.fetchval(READ, req.actor_id)) or domain.DEFAULTS
            return PreferencesView(preferences=prefs, time_zone=await schedule.zone_of_member(conn, req.actor_id))

    async def set_preferences(self, req: SetPreferencesRequest, ctx: CallContext) -> PreferencesView:
        stream, now = preferences_stream(req.actor_id), self._clock()
        async with self._pool.acquire() as conn, conn.transaction():
            if not await forgetting.kept(conn, req.actor_id):
                return PreferencesView(preferences=domain.DEFAULTS)
            version, state = await load(conn, self._store, stream, domain.evolve)
            events = domain.choose(state, req.actor_id, req.preferences, now)
            await self._append(conn, stream, events, version, ctx, req.actor_id)
            for event in events:
                state = domain.evolve(state, event)
            prefs = state or domain.DEFAULTS
            await schedule.plan_daily(conn, req.actor_id, prefs, now)
            return PreferencesView(preferences=prefs, time_zone=await schedule.zone_of_member(conn, req.actor_id))

    async def unsubscribe(self, req: UnsubscribeRequest, ctx: CallContext) -> UnsubscribeView:
        """A signed link: checked (``confirm`` False) or followed. A changed link changes nothing."""
        era = links.signed_in_era(self._secret, req.member_id, req.what, req.signature)
        if era is None:
            raise Forbidden("This unsubscribe link isn't right: it may have been changed or cut short.")
        stops = domain.stops_of(req.what, before_kinds=era == "topics")
        label = domain.stopping_label(stops)
        if not req.confirm:
            return UnsubscribeView(what=req.what, label=label, done=False)
        stream, now = preferences_stream(req.member_id), self._clock()
        async with self._pool.acquire() as conn, conn.transaction():
            if not await forgetting.kept(conn, req.member_id):
                return UnsubscribeView(what=req.what, label=label, done=True)
            version, state = await load(conn, self._store, stream, domain.evolve)
            events = domain.unsubscribe(state, req.member_id, stops, now)
            await self._append(conn, stream, events, version, ctx, req.member_id)
            for event in events:
                state = domain.evolve(state, event)
            await schedule.plan_daily(conn, req.member_id, state or domain.DEFAULTS, now)
        return UnsubscribeView(what=req.what, label=label, done=True)
