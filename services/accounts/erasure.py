"""Erasure in accounts (docs/adr/0034-erasure.md): a member asks to be erased (the password again),
every session ends and the account is locked for the grace period; signing in meanwhile offers to
keep it; once due, the job in ``erasing`` erases it. The operator can erase a member at once.

Erasing here, in one transaction: ``accounts.member_erased.v1`` (ids only, published; every other
service follows it), the member's row, password, sessions, look-alike skeleton, links, throttle
rows and mail, and the kernel's part (``shared.erasure.forget``: the data key that seals their
address and pseudonym, their retried replies, parked messages naming them)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

import asyncpg

from services.accounts import domain, erasing, leaving, links, queries
from services.accounts.base import AccountsBase
from services.accounts.commands import CancelErasure, Erase, RequestErasure
from services.accounts.events import member_stream
from services.accounts.projections import PROJECTIONS
from shared.bus.rpc import CallContext
from shared.contracts import accounts as acc
from shared.erasure import forget
from shared.errors import NotFound
from shared.eventstore.store import EventStore, unit_of_work
from shared.handlers import load
from shared.names import pseudonym_key

SCHEMA = "accounts"
KEEP_LINK_GONE = "This page waited too long, so nothing was changed. Please sign in again to keep your account."
NO_SUCH_MEMBER = "No member is called {name!r}. (A member who has been erased has no name here any more.)"


class ErasureHandlers(AccountsBase):
    projections = PROJECTIONS

    def __init__(self, pool: asyncpg.Pool, store: EventStore, *, grace: dt.timedelta, **kwargs: Any) -> None:
        super().__init__(pool, store, **kwargs)
        self.grace = grace

    async def request_erasure(self, req: acc.ErasureRequest, ctx: CallContext) -> acc.ErasureView:
        """Set the signed-in member's account to be erased after the grace period (asking again
        changes nothing); every session ends and no mail goes to them any more."""
        await self._check_password(req.actor_id, req.password, field="password")
        now = self._clock()
        async with unit_of_work(self._pool) as conn:
            stream = member_stream(req.actor_id)
            version, member = await load(conn, self._store, stream, domain.evolve_member)
            cmd = RequestErasure(now=now, grace=self.grace, requested_by=req.actor_id)
            events = leaving.request_erasure(member, cmd)
            await self._append(conn, stream, events, version, ctx, req.actor_id, subject=req.actor_id)
            await self._end_sessions(conn, req.actor_id, ctx, "erasure_requested")
            await erasing.hold_mail(conn, req.actor_id, now)
            return await _view(conn, req.actor_id)

    async def erasure(self, req: acc.ErasureStateRequest, ctx: CallContext) -> acc.ErasureView:
        async with self._pool.acquire() as conn:
            return await _view(conn, req.actor_id)

    async def keep_account(self, req: acc.KeepAccountRequest, ctx: CallContext) -> acc.SessionIssued:
        """Cancel a scheduled erasure with the token a sign-in gave, and sign in as usual. After
        the grace period it is refused, and nothing changes (the token still works until then)."""
        now = self._clock()
        async with unit_of_work(self._pool) as conn:
            link = await links.redeem(conn, req.token, (links.KEEP,), now)
            if link is None:
                raise NotFound(KEEP_LINK_GONE)
            stream = member_stream(link.member_id)
            version, member = await load(conn, self._store, stream, domain.evolve_member)
            events = leaving.cancel_erasure(member, CancelErasure(now=now))
            await self._append(conn, stream, events, version, ctx, link.member_id, subject=link.member_id)
            return await self._session_for(conn, link.member_id, now, ctx)

    async def erase_now(self, req: acc.EraseNowRequest, ctx: CallContext) -> acc.ErasedView:
        """The operator erases a member at once (an administrator only): no grace period."""
        leaving.require_operator(req.roles)
        now = self._clock()
        async with unit_of_work(self._pool) as conn:
            found = await queries.member_by_pseudonym_key(conn, pseudonym_key(req.pseudonym))
            if found is None:
                raise NotFound(NO_SUCH_MEMBER.format(name=req.pseudonym))
            cmd = Erase(now=now, at_once=True, requested_by=req.actor_id)
            done = await self.erase_in(conn, found.member_id, cmd, ctx, actor=req.actor_id)
        return acc.ErasedView(member_id=found.member_id, pseudonym=found.pseudonym, erased_at=now, already=not done)

    async def erase_in(
        self, conn: asyncpg.Connection, member_id: UUID, cmd: Erase, ctx: CallContext, actor: UUID
    ) -> bool:
        """Erase the member in the caller's transaction; False if they were erased already."""
        stream = member_stream(member_id)
        version, member = await load(conn, self._store, stream, domain.evolve_member)
        events = leaving.erase(member, cmd)
        if not events or member is None:
            return False
        await self._append(conn, stream, events, version, ctx, actor, subject=member_id)  # the row goes with it
        await self._end_sessions(conn, member_id, ctx, "erased")
        await erasing.purge(conn, member_id, member.email_index)
        await forget(conn, SCHEMA, member_id, cmd.now)
        return True


async def _view(conn: asyncpg.Connection, member_id: UUID) -> acc.ErasureView:
    row = await queries.erasure_of(conn, member_id)
    if row is None or row.cancelled_at is not None:
        return acc.ErasureView(member_id=member_id)
    state = acc.ERASURE_ERASED if row.erased_at is not None else acc.ERASURE_SCHEDULED
    return acc.ErasureView(
        member_id=member_id, state=state, requested_at=row.requested_at, due_at=row.due_at, erased_at=row.erased_at
    )
