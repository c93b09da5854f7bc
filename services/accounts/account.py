"""The member's own settings: their address (changed by a link to the new one, with a notice to
the old), their password (with the current one; a notice follows), and their time zone."""

from __future__ import annotations

import functools
import zoneinfo
from uuid import UUID

import asyncpg

from services.accounts import credentials, domain, queries
from services.accounts.base import AccountsBase
from services.accounts.commands import ChangePassword, SetTimeZone
from services.accounts.events import member_stream
from services.accounts.links import token_hash
from services.accounts.mailing import Recipient
from services.accounts.projections import PROJECTIONS
from shared.bus.rpc import CallContext
from shared.contracts.accounts import (
    AccountRequest,
    AccountView,
    ChangeEmailRequest,
    ChangePasswordRequest,
    ResendConfirmationRequest,
    TimeZoneRequest,
)
from shared.contracts.common import Empty
from shared.crypto import blind_index, seal
from shared.errors import FieldError, Invalid, NotFound
from shared.eventstore.store import unit_of_work
from shared.handlers import load

UNKNOWN_ZONE = "Please choose a time zone from the list, such as Europe/Berlin or America/New_York."


@functools.cache
def time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


class AccountHandlers(AccountsBase):
    projections = PROJECTIONS

    async def account(self, req: AccountRequest, ctx: CallContext) -> AccountView:
        async with self._pool.acquire() as conn:
            return await self._view(conn, req.actor_id)

    async def _view(self, conn: asyncpg.Connection, member_id: UUID) -> AccountView:
        row = await queries.mail_row(conn, member_id=member_id)
        if row is None:
            raise NotFound("No such member.")
        email = await self._address(conn, row)
        return AccountView(
            member_id=member_id, pseudonym=row.pseudonym, email=email, email_confirmed=row.email_confirmed,
            time_zone=row.time_zone,
        )  # fmt: skip

    async def change_email(self, req: ChangeEmailRequest, ctx: CallContext) -> AccountView:
        """A link to the new address; nothing changes until it is followed. The answer is the same
        when the new address belongs to someone else (who gets a note instead)."""
        new = domain.normalize_email(req.new_email)
        domain.require_fine(domain.email_problems(new, "new_email"))
        await self._check_password(req.actor_id, req.current_password)
        index, now = blind_index(self._secret, new), self._clock()
        async with unit_of_work(self._pool) as conn:
            me = await self._recipient(conn, req.actor_id)
            if me is None:
                raise NotFound("No such member.")
            owner = await self._recipient_by_index(conn, index)
            if owner is not None and owner.member_id != me.member_id:
                await self._mail.address_attempt(conn, owner, now, change=True)
            elif owner is not None:  # their own address again: a confirmation, if it still needs one
                if not me.confirmed:
                    await self._mail.confirmation(conn, me, now)
            else:
                to = Recipient(
                    member_id=me.member_id, key=me.key, email=new, email_index=index, confirmed=False,
                    pseudonym=me.pseudonym,
                )  # fmt: skip
                await self._mail.confirm_change(conn, to, seal(me.key, new, me.member_id), now)
            return await self._view(conn, me.member_id)

    async def change_password(self, req: ChangePasswordRequest, ctx: CallContext) -> Empty:
        domain.require_fine(domain.password_problems(req.new_password, "new_password"))
        await self._check_password(req.actor_id, req.current_password)
        password_hash = await self._hash(req.new_password)
        async with unit_of_work(self._pool) as conn:
            stream = member_stream(req.actor_id)
            version, member = await load(conn, self._store, stream, domain.evolve_member)
            events = domain.change_password(member, ChangePassword(now=self._clock()))
            await self._append(conn, stream, events, version, ctx, req.actor_id, subject=req.actor_id)
            await credentials.set_password(conn, req.actor_id, password_hash)
            current = await queries.session_for_token(conn, _token_hash(req.current_token))
            await self._end_sessions(conn, req.actor_id, ctx, "password_changed", keep=current)
            me = await self._recipient(conn, req.actor_id)
            if me is not None:
                await self._mail.notice(conn, me, "password_changed", self._clock())
        return Empty()

    async def set_time_zone(self, req: TimeZoneRequest, ctx: CallContext) -> AccountView:
        if req.time_zone not in time_zones():
            raise Invalid(UNKNOWN_ZONE, errors=(FieldError(field="time_zone", message=UNKNOWN_ZONE),))
        async with unit_of_work(self._pool) as conn:
            stream = member_stream(req.actor_id)
            version, member = await load(conn, self._store, stream, domain.evolve_member)
            events = domain.set_time_zone(member, SetTimeZone(time_zone=req.time_zone, now=self._clock()))
            await self._append(conn, stream, events, version, ctx, req.actor_id, subject=req.actor_id)
            return await self._view(conn, req.actor_id)

    async def resend_confirmation(self, req: ResendConfirmationRequest, ctx: CallContext) -> Empty:
        async with unit_of_work(self._pool) as conn:
            me = await self._recipient(conn, req.actor_id)
            if me is not None and not me.confirmed:
                await self._mail.confirmation(conn, me, self._clock())
        return Empty()


def _token_hash(token: str) -> str:
    return token_hash(token) if token else ""
