"""Links from mail, and the address other services may ask for.

Following a confirmation or change link confirms the address (or moves the account to the new
one, with a notice to the old); "forgot my password" always answers the same, and sends a reset
link only to a confirmed address that has an account; a reset ends every session.
"""

from __future__ import annotations

import datetime as dt

import asyncpg

from services.accounts import credentials, domain, links, queries, throttle
from services.accounts.base import AccountsBase
from services.accounts.commands import ChangeEmail, ChangePassword, ConfirmEmail
from services.accounts.events import EmailChanged, MemberEvent, member_stream
from services.accounts.mailing import Recipient
from services.accounts.projections import PROJECTIONS
from shared.bus.rpc import CallContext
from shared.contracts.accounts import (
    ForgotPasswordRequest,
    LinkFollowed,
    LinkRequest,
    MailAddressRequest,
    MailAddressView,
    PseudonymRequest,
    PseudonymView,
    ResetPasswordRequest,
)
from shared.contracts.common import Empty
from shared.crypto import blind_index, open_sealed
from shared.errors import Conflict, Invalid, NotFound
from shared.eventstore.store import unit_of_work
from shared.handlers import load

LINK_GONE = "This link doesn't work any more: it has been used already, it has expired, or it was not copied whole."
ADDRESS_TAKEN = "This address now belongs to another account, so your address stays as it was."


class RecoveryHandlers(AccountsBase):
    projections = PROJECTIONS

    async def follow_link(self, req: LinkRequest, ctx: CallContext) -> LinkFollowed:
        """A confirmation link (``confirmed``) or a change of address (``changed``), once."""
        try:
            async with unit_of_work(self._pool) as conn:
                link = await links.redeem(conn, req.token, (links.CONFIRM, links.CHANGE), self._clock())
                if link is None:
                    raise NotFound(LINK_GONE)
                await self._apply_link(conn, link, ctx)
        except asyncpg.UniqueViolationError as exc:  # someone took the new address meanwhile
            raise Conflict(ADDRESS_TAKEN) from exc
        return LinkFollowed(done="changed" if link.purpose == links.CHANGE else "confirmed")

    async def _apply_link(self, conn: asyncpg.Connection, link: links.Link, ctx: CallContext) -> None:
        now, member_id = self._clock(), link.member_id
        stream = member_stream(member_id)
        version, member = await load(conn, self._store, stream, domain.evolve_member)
        old = await self._recipient(conn, member_id)
        events: list[MemberEvent]
        if link.purpose == links.CHANGE and link.email_sealed is not None:
            cmd = ChangeEmail(email_sealed=link.email_sealed, email_index=link.email_index, now=now)
            events = domain.change_email(member, cmd)
        else:
            events = domain.confirm_email(member, ConfirmEmail(email_index=link.email_index, now=now))
        await self._append(conn, stream, events, version, ctx, member_id, subject=member_id)
        if old is not None and any(isinstance(e, EmailChanged) for e in events):
            new_email = open_sealed(old.key, link.email_sealed or "", member_id)
            await self._mail.notice(conn, old, "email_changed", now, new_email=new_email)

    async def forgot_password(self, req: ForgotPasswordRequest, ctx: CallContext) -> Empty:
        """The same answer whether or not the address has an account (a malformed one is said)."""
        email = domain.normalize_email(req.email)
        domain.require_fine(domain.email_problems(email))
        async with unit_of_work(self._pool) as conn:
            owner = await self._recipient_by_index(conn, blind_index(self._secret, email))
            if owner is not None:
                await self._mail.password_reset(conn, owner, self._clock())
        return Empty()

    async def check_reset_link(self, req: LinkRequest, ctx: CallContext) -> Empty:
        """Whether a reset link still works (nothing is used up): the page asks before showing its form."""
        async with self._pool.acquire() as conn:
            if await links.valid(conn, req.token, (links.RESET,), self._clock()) is None:
                raise NotFound(LINK_GONE)
        return Empty()

    async def reset_password(self, req: ResetPasswordRequest, ctx: CallContext) -> Empty:
        domain.require_fine(domain.password_problems(req.new_password, "new_password"))
        password_hash = await self._hash(req.new_password)
        async with unit_of_work(self._pool) as conn:
            now = self._clock()
            link = await links.redeem(conn, req.token, (links.RESET,), now)
            if link is None:
                raise NotFound(LINK_GONE)
            await self._reset(conn, link, password_hash, now, ctx)
        return Empty()

    async def _reset(
        self, conn: asyncpg.Connection, link: links.Link, password_hash: str, now: dt.datetime, ctx: CallContext
    ) -> None:
        member_id = link.member_id
        stream = member_stream(member_id)
        version, member = await load(conn, self._store, stream, domain.evolve_member)
        if member is not None and member.email_index != link.email_index:
            raise Invalid(domain.LINK_FOR_AN_OLD_ADDRESS)
        events = domain.change_password(member, ChangePassword(now=now, by_link=True))
        await self._append(conn, stream, events, version, ctx, member_id, subject=member_id)
        await credentials.set_password(conn, member_id, password_hash)
        await self._end_sessions(conn, member_id, ctx, "password_reset")
        await throttle.clear(conn, f"email:{link.email_index}")
        me = await self._recipient(conn, member_id)
        if me is not None:
            await self._mail.notice(conn, me, "password_changed", now)

    async def mail_address(self, req: MailAddressRequest, ctx: CallContext) -> MailAddressView:
        """The member's confirmed address, for the notifications service alone (the bus sees to it)."""
        async with self._pool.acquire() as conn:
            to: Recipient | None = await self._recipient(conn, req.member_id)
            leaving = await queries.erasure_pending(conn, req.member_id)  # locked: nothing is mailed to it
        confirmed = to is not None and to.confirmed and not leaving
        return MailAddressView(member_id=req.member_id, email=to.email if to and confirmed else None)

    async def pseudonym(self, req: PseudonymRequest, ctx: CallContext) -> PseudonymView:
        """The member's pseudonym, for the services that show who did something (the bus sees to it)."""
        async with self._pool.acquire() as conn:
            name = await conn.fetchval(
                f"SELECT pseudonym FROM {queries.SCHEMA}.members WHERE member_id = $1", req.member_id
            )
        return PseudonymView(member_id=req.member_id, pseudonym=name)
