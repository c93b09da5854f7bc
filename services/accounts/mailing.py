"""Mail to members, rendered and queued inside accounts (the address never leaves it sealed or not).

Two rules live here: nothing but a confirmation is ever sent to an unconfirmed address, and
nothing at all to an account set to be erased (``_queue`` drops it, ADR 34). And one limit per address: a few links an hour at most, so
that a stranger typing someone's address into a form cannot flood their inbox; past it the
form still gives its usual answer, and nothing is sent.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from uuid import UUID

import asyncpg
import msgspec

from services.accounts import links, queries
from shared.mail import MailTemplates, Outbox
from shared.settings import Settings

SCHEMA = "accounts"
TEMPLATES = Path(__file__).with_name("mail")
CONFIRMATIONS = frozenset({"confirm", "confirm_change"})  # the only kinds an unconfirmed address may get
PER_HOUR = {"confirm": 3, "confirm_change": 3, "reset": 3, "address_attempt": 1}


class Recipient(msgspec.Struct, frozen=True, kw_only=True):
    member_id: UUID
    key: bytes  # the member's data key: the message is sealed with it in the outbox
    email: str
    email_index: str
    confirmed: bool
    pseudonym: str


class AccountMail:
    def __init__(self, outbox: Outbox, base_url: str, templates: MailTemplates | None = None) -> None:
        self.outbox = outbox
        self._url = base_url.rstrip("/")
        self._templates = templates or MailTemplates(TEMPLATES)

    @classmethod
    def of(cls, settings: Settings) -> AccountMail:
        return cls(Outbox(SCHEMA, settings.mail_from), settings.url)

    async def confirmation(self, conn: asyncpg.Connection, to: Recipient, now: dt.datetime) -> bool:
        """A new link to confirm ``to``'s address (earlier ones stop working)."""
        if not await self._within_limit(conn, to, "confirm", now):
            return False
        await links.retire(conn, to.member_id, links.CONFIRM, now)
        token = await links.issue(conn, links.CONFIRM, to.member_id, to.email_index, now)
        return await self._queue(conn, to, "confirm", now, link=f"{self._url}/confirm/{token}")

    async def confirm_change(self, conn: asyncpg.Connection, to: Recipient, sealed: str, now: dt.datetime) -> bool:
        """To the new address ``to.email``: follow the link to make it the account's address."""
        if not await self._within_limit(conn, to, "confirm_change", now):
            return False
        await links.retire(conn, to.member_id, links.CHANGE, now)
        token = await links.issue(conn, links.CHANGE, to.member_id, to.email_index, now, email_sealed=sealed)
        return await self._queue(conn, to, "confirm_change", now, link=f"{self._url}/confirm/{token}")

    async def password_reset(self, conn: asyncpg.Connection, to: Recipient, now: dt.datetime) -> bool:
        """A reset link; to an unconfirmed address, its confirmation instead (the only mail it may get)."""
        if not to.confirmed:
            return await self.confirmation(conn, to, now)
        if not await self._within_limit(conn, to, "reset", now):
            return False
        await links.retire(conn, to.member_id, links.RESET, now)
        token = await links.issue(conn, links.RESET, to.member_id, to.email_index, now)
        return await self._queue(conn, to, "reset", now, link=f"{self._url}/reset-password/{token}")

    async def address_attempt(self, conn: asyncpg.Connection, to: Recipient, now: dt.datetime, *, change: bool) -> bool:
        """Someone tried to sign up with (``change``: move another account to) ``to``'s address."""
        if not to.confirmed:
            return await self.confirmation(conn, to, now)
        if not await self._within_limit(conn, to, "address_attempt", now):
            return False
        return await self._queue(
            conn, to, "address_attempt", now, change=change,
            signin=f"{self._url}/signin", forgot=f"{self._url}/forgot-password",
        )  # fmt: skip

    async def notice(
        self, conn: asyncpg.Connection, to: Recipient, kind: str, now: dt.datetime, **context: Any
    ) -> bool:
        """A notice of a change to the account (``email_changed``, ``password_changed``)."""
        return await self._queue(conn, to, kind, now, forgot=f"{self._url}/forgot-password", **context)

    async def _within_limit(self, conn: asyncpg.Connection, to: Recipient, kind: str, now: dt.datetime) -> bool:
        sent = await self.outbox.queued_since(conn, to.member_id, [kind], now - dt.timedelta(hours=1))
        return sent < PER_HOUR[kind]

    async def _queue(
        self, conn: asyncpg.Connection, to: Recipient, kind: str, now: dt.datetime, **context: Any
    ) -> bool:
        if not to.confirmed and kind not in CONFIRMATIONS:
            return False  # nothing but its confirmation goes to an unconfirmed address
        if await queries.erasure_pending(conn, to.member_id):
            return False  # nor anything to an account set to be erased
        mail = self._templates.render(kind, pseudonym=to.pseudonym, **context)
        await self.outbox.queue(conn, member_id=to.member_id, kind=kind, to=to.email, mail=mail, now=now, key=to.key)
        return True
