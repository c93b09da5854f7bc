"""The outbox: one row per message, in the using service's schema (its migration makes the table).

The recipient, subject and bodies are sealed with the member's key (a link in a message is a
secret, and so is the address); once the message is sent they are cleared, and only the fact
that it went remains. The table's shape (see the accounts service's migration 0004)::

    mail_outbox (mail_id uuid PK, message_id text UNIQUE, member_id uuid, kind text,
                 sealed text NULL, queued_at, not_before, attempts int, last_error text NULL,
                 sent_at NULL, dropped_at NULL)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from email.utils import parseaddr
from uuid import UUID, uuid4

import asyncpg
import msgspec

from shared.crypto import KeyStore, open_sealed, seal
from shared.mail.render import Rendered

TABLE = "mail_outbox"


class MailMessage(msgspec.Struct, frozen=True, kw_only=True):
    """What is sealed in an outbox row: everything needed to send it, nothing else."""

    to: str
    subject: str
    text: str
    html: str
    headers: dict[str, str] = {}  # e.g. List-Unsubscribe (RFC 8058), sealed with the rest


def message_id_for(mail_id: UUID, sender: str) -> str:
    """A ``Message-ID`` that stays the same for every attempt at sending one outbox row."""
    domain = parseaddr(sender)[1].rpartition("@")[2] or "small-wins.invalid"
    return f"<{mail_id}@{domain}>"


class Outbox:
    def __init__(self, schema: str, sender: str) -> None:
        self.schema = schema
        self.sender = sender
        self._keys = KeyStore(schema)

    async def queue(
        self,
        conn: asyncpg.Connection,
        *,
        member_id: UUID,
        kind: str,
        to: str,
        mail: Rendered,
        now: dt.datetime,
        key: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> UUID:
        """Queue a message to ``to`` about ``member_id``, in the caller's transaction: it goes out
        only if that transaction commits. ``key`` is the member's data key (looked up if None)."""
        key = key if key is not None else await self._keys.get(conn, member_id)
        message = MailMessage(to=to, subject=mail.subject, text=mail.text, html=mail.html, headers=headers or {})
        mail_id = uuid4()
        await conn.execute(
            f"INSERT INTO {self.schema}.{TABLE} (mail_id, message_id, member_id, kind, sealed, queued_at, not_before)"
            " VALUES ($1, $2, $3, $4, $5, $6, $6)",
            mail_id, message_id_for(mail_id, self.sender), member_id, kind,
            seal(key, msgspec.json.encode(message).decode(), member_id), now,
        )  # fmt: skip
        return mail_id

    async def queued_since(
        self, conn: asyncpg.Connection, member_id: UUID, kinds: Iterable[str], since: dt.datetime
    ) -> int:
        """How many messages of these kinds were queued for ``member_id`` since ``since`` (sent or not)."""
        found: int = await conn.fetchval(
            f"SELECT count(*) FROM {self.schema}.{TABLE} WHERE member_id = $1 AND kind = ANY($2) AND queued_at >= $3",
            member_id, list(kinds), since,
        )  # fmt: skip
        return found

    async def open(self, conn: asyncpg.Connection, member_id: UUID, sealed: str) -> MailMessage:
        """The message of a row (raises ``KeyErased`` when the member has been erased)."""
        key = await self._keys.get(conn, member_id)
        return msgspec.json.decode(open_sealed(key, sealed, member_id), type=MailMessage)
