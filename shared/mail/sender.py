"""Sending what is due in an outbox, once, from any number of copies of a service.

Each message is sent inside one transaction: the row is taken with ``FOR UPDATE SKIP LOCKED``
(another sender passes over it; a sender that dies lets it go when its connection closes), the
message goes to the SMTP server, and the row is marked sent before the transaction commits. The
transaction is the lease: ``idle_in_transaction_session_timeout`` ends it if a sender hangs, and
the SMTP conversation must finish well within it. A refusal or an unreachable server puts the
message back with a doubling delay (``shared.backoff``). The one window left: the server has
said 250 and the commit does not happen (the process dies in between); then the message goes
again later, with the same ``Message-ID`` (docs/adr/0028-mail-sent-once.md).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Protocol
from uuid import UUID

import aiosmtplib
import asyncpg

from shared.backoff import backoff
from shared.crypto import KeyErased
from shared.due import DueWork, lease
from shared.eventstore.store import utcnow
from shared.mail.outbox import TABLE, MailMessage, Outbox
from shared.settings import Settings

log = logging.getLogger(__name__)

SMTP_TIMEOUT_S = 20.0  # well inside the lease (``shared.due.LEASE_MS``): a slow server fails the attempt first
RETRY_BASE_S, RETRY_CAP_S = 30.0, 3600.0
POLL_S = 1.0


class Transport(Protocol):
    async def send(self, message: EmailMessage) -> None: ...


class SmtpTransport:
    """aiosmtplib to the configured server: plain, STARTTLS or implicit TLS, with a login if set."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings

    async def send(self, message: EmailMessage) -> None:
        s = self._settings
        host, port = s.smtp_server
        await aiosmtplib.send(
            message, hostname=host, port=port, username=s.smtp_user or None, password=s.smtp_password or None,
            use_tls=s.smtp_security == "tls", start_tls=s.smtp_security == "starttls", timeout=SMTP_TIMEOUT_S,
        )  # fmt: skip


def email_of(message: MailMessage, message_id: str, sender: str, date: dt.datetime) -> EmailMessage:
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = sender, message.to, message.subject
    mail["Message-ID"], mail["Date"] = message_id, format_datetime(date)
    for name, value in message.headers.items():
        mail[name] = value
    mail.set_content(message.text)
    mail.add_alternative(message.html, subtype="html")
    return mail


class MailSender(DueWork):
    """Sends what is due, one message per transaction, on the kernel's loop for due work."""

    name = "mail sender"
    poll_s = POLL_S

    def __init__(
        self, pool: asyncpg.Pool, outbox: Outbox, transport: Transport, clock: Callable[[], dt.datetime] = utcnow
    ) -> None:
        self._pool = pool
        self._outbox = outbox
        self._transport = transport
        self._clock = clock
        self._table = f"{outbox.schema}.{TABLE}"

    async def run_one(self) -> bool:
        """Take one due message and try it (send it, put it back for later, or drop it); False when
        nothing is due (or all are being sent). ``run_due`` sends every message due now."""
        now = self._clock()
        async with self._pool.acquire() as conn, conn.transaction():
            await lease(conn)
            row = await conn.fetchrow(
                f"SELECT mail_id, message_id, member_id, sealed, attempts, queued_at FROM {self._table}"
                " WHERE sent_at IS NULL AND dropped_at IS NULL AND not_before <= $1"
                " ORDER BY not_before, mail_id LIMIT 1 FOR UPDATE SKIP LOCKED",
                now,
            )
            if row is None:
                return False
            await self._attempt(conn, row, now)
        return True

    async def _attempt(self, conn: asyncpg.Connection, row: asyncpg.Record, now: dt.datetime) -> None:
        mail_id: UUID = row["mail_id"]
        try:
            message = await self._outbox.open(conn, row["member_id"], row["sealed"])
        except KeyErased:  # the member was erased before it went: nobody to send it to
            await conn.execute(
                f"UPDATE {self._table} SET dropped_at = $2, sealed = NULL WHERE mail_id = $1", mail_id, now
            )
            return
        mail = email_of(message, row["message_id"], self._outbox.sender, row["queued_at"])
        try:
            await self._transport.send(mail)
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
            wait = backoff(row["attempts"] + 1, RETRY_BASE_S, RETRY_CAP_S)
            log.warning(
                "mail not sent, trying again in %.0f s: %s", wait, _reason(exc), extra={"mail_id": str(mail_id)}
            )
            await conn.execute(
                f"UPDATE {self._table} SET attempts = attempts + 1, not_before = $2, last_error = $3 WHERE mail_id = $1",
                mail_id, now + dt.timedelta(seconds=wait), _reason(exc)[:500],
            )  # fmt: skip
            return
        await conn.execute(f"UPDATE {self._table} SET sent_at = $2, sealed = NULL WHERE mail_id = $1", mail_id, now)
        log.info("mail sent", extra={"mail_id": str(mail_id)})


def _reason(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"
