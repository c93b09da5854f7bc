"""What every accounts handler class shares: the secret for e-mail look-ups, the password
hasher (with a dummy hash, so that an unknown address costs what a known one does), checking a
member's current password, the mail, the members' addresses opened with their keys, and starting
and ending sessions."""

from __future__ import annotations

import asyncio
import datetime as dt
import secrets
from collections.abc import Callable
from uuid import UUID, uuid4

import asyncpg
from argon2 import PasswordHasher
from argon2.exceptions import VerificationError

from services.accounts import credentials, domain, links, mailing, queries, throttle
from services.accounts.commands import EndSession, StartSession
from services.accounts.credentials import SESSION_LIFETIME, token_hash
from services.accounts.events import SessionEnded, SessionStarted, member_stream, session_stream
from services.accounts.mailing import AccountMail, Recipient
from shared.bus.rpc import CallContext
from shared.contracts.accounts import SessionIssued
from shared.crypto import KeyErased, open_sealed
from shared.errors import FieldError, Invalid, NotFound
from shared.eventstore.store import NO_STREAM, EventStore, utcnow
from shared.handlers import CommandHandlers, load
from shared.mail import Outbox

WRONG_PASSWORD = "That isn't your current password. Please try again."  # noqa: S105 - a message
ADDRESS_GONE = ""  # what an erased member's address reads as: nothing, never an error


class AccountsBase(CommandHandlers):
    def __init__(
        self,
        pool: asyncpg.Pool,
        store: EventStore,
        *,
        secret_key: str,
        hasher: PasswordHasher | None = None,
        mail: AccountMail | None = None,
        clock: Callable[[], dt.datetime] = utcnow,
    ) -> None:
        super().__init__(pool, store, clock)
        self._secret = secret_key
        self._hasher = hasher or PasswordHasher()
        # made by the same hasher, so that checking against it costs what checking a real hash does
        self._dummy_hash = self._hasher.hash(secrets.token_hex(16))
        self._mail = mail or AccountMail(Outbox(mailing.SCHEMA, "Small Wins <hello@small-wins.invalid>"), "")

    async def _verify(self, password_hash: str | None, password: str) -> bool:
        try:
            return await asyncio.to_thread(self._hasher.verify, password_hash or self._dummy_hash, password)
        except VerificationError:
            return False

    async def _hash(self, password: str) -> str:
        return await asyncio.to_thread(self._hasher.hash, password)

    async def _recipient(self, conn: asyncpg.Connection, member_id: UUID) -> Recipient | None:
        """The member's address, opened with their key; None if they are unknown or erased."""
        row = await queries.mail_row(conn, member_id=member_id)
        return await self._opened(conn, row) if row else None

    async def _recipient_by_index(self, conn: asyncpg.Connection, email_index: str) -> Recipient | None:
        row = await queries.mail_row(conn, email_index=email_index)
        return await self._opened(conn, row) if row else None

    async def _address(self, conn: asyncpg.Connection, row: queries.MailRow) -> str:
        """The member's address, opened with their key; ``ADDRESS_GONE`` once the key is erased."""
        try:
            return open_sealed(await self._keys.get(conn, row.member_id), row.email_sealed, row.member_id)
        except KeyErased:
            return ADDRESS_GONE

    async def _check_password(self, member_id: UUID, password: str, field: str = "current_password") -> None:
        """The member's current password, or a refusal naming the field (slowed down after a few)."""
        now, key = self._clock(), f"member:{member_id}"
        async with self._pool.acquire() as conn:
            await throttle.check(conn, [key], now)
            password_hash = await credentials.for_member(conn, member_id)
        if await self._verify(password_hash, password) and password_hash is not None:
            return
        async with self._pool.acquire() as conn:
            await throttle.record_failure(conn, key, throttle.FREE_PER_EMAIL, now)
        raise Invalid(WRONG_PASSWORD, errors=(FieldError(field=field, message=WRONG_PASSWORD),))

    async def _opened(self, conn: asyncpg.Connection, row: queries.MailRow) -> Recipient | None:
        try:
            key = await self._keys.get(conn, row.member_id)
        except KeyErased:
            return None
        return Recipient(
            member_id=row.member_id, key=key, email=open_sealed(key, row.email_sealed, row.member_id),
            email_index=row.email_index, confirmed=row.email_confirmed, pseudonym=row.pseudonym,
        )  # fmt: skip

    async def _end_sessions(
        self, conn: asyncpg.Connection, member_id: UUID, ctx: CallContext, reason: str, keep: UUID | None = None
    ) -> None:
        """End every open session of the member (but ``keep``), in the caller's transaction."""
        for session_id in await queries.open_sessions(conn, member_id):
            if session_id == keep:
                continue
            stream = session_stream(session_id)
            version, session = await load(conn, self._store, stream, domain.evolve_session)
            events = domain.end_session(session, EndSession(now=self._clock(), reason=reason))
            await self._append(conn, stream, events, version, ctx, member_id, subject=member_id)
            for e in events:
                if isinstance(e, SessionEnded):
                    await credentials.close_session(conn, e.session_id, e.ended_at)

    async def _session_for(
        self, conn: asyncpg.Connection, member_id: UUID, now: dt.datetime, ctx: CallContext
    ) -> SessionIssued:
        """A new session for the member who just proved who they are; for an account set to be
        erased, none, but a short-lived token to keep the account instead (ADR 34)."""
        _, member = await load(conn, self._store, member_stream(member_id), domain.evolve_member)
        view = await queries.member_view(conn, member_id)
        if member is None or view is None:
            raise NotFound("No such member.")
        if member.erasure_due is not None:
            await links.retire(conn, member_id, links.KEEP, now)
            keep = await links.issue(conn, links.KEEP, member_id, member.email_index, now)
            return SessionIssued(token="", expires_at=now, member=view, erasure_due=member.erasure_due, keep_token=keep)
        token = secrets.token_urlsafe(32)
        cmd = StartSession(session_id=uuid4(), now=now, lifetime=SESSION_LIFETIME)
        events = domain.start_session(member, cmd)
        await self._append(conn, session_stream(cmd.session_id), events, NO_STREAM, ctx, member_id, subject=member_id)
        for e in events:  # the token's hash is in no event: only in the sessions table
            if isinstance(e, SessionStarted):
                await credentials.open_session(
                    conn, e.session_id, token_hash(token), e.member_id, e.started_at, e.expires_at
                )
        return SessionIssued(token=token, expires_at=now + SESSION_LIFETIME, member=view)
