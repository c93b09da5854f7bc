"""The kernel's mail outbox: a message goes out once, whatever the SMTP server does and however
many senders run. Real PostgreSQL (the accounts schema's outbox), a real SMTP server."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path
from uuid import UUID, uuid4

import asyncpg
import pytest
import pytest_asyncio

from shared.crypto import KeyStore, new_key
from shared.db import create_pool
from shared.mail import MailSender, Outbox, Rendered, SmtpTransport
from shared.settings import Settings
from shared.testing.plugin import MailBox

pytestmark = pytest.mark.integration
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> dt.datetime:
        return self.now


@pytest_asyncio.fixture
async def pool(database_url: str, sw_key_file: Path) -> AsyncIterator[asyncpg.Pool]:
    pool = await create_pool(database_url, schema="accounts")
    yield pool
    await pool.close()


async def _queue(pool: asyncpg.Pool, outbox: Outbox, count: int) -> UUID:
    member_id, key = uuid4(), new_key()
    async with pool.acquire() as conn, conn.transaction():
        await KeyStore("accounts").store(conn, member_id, key)
        for n in range(count):
            mail = Rendered(subject=f"Note {n}", text=f"Hello {n}", html=f"<p>Hello {n}</p>")
            await outbox.queue(conn, member_id=member_id, kind="note", to="robin@example.org", mail=mail, now=START)
    return member_id


async def test_a_server_that_is_down_or_refuses_leaves_the_mail_waiting_then_it_goes_once(
    pool: asyncpg.Pool, settings: Settings, sw_mail: MailBox
) -> None:
    outbox, clock = Outbox("accounts", settings.mail_from), Clock()
    sender = MailSender(pool, outbox, SmtpTransport(settings), clock)
    await _queue(pool, outbox, 1)
    sw_mail.stop()
    assert await sender.run_due() == 1  # tried, and put back
    assert await sender.run_due() == 0  # not due again yet
    row = await pool.fetchrow("SELECT attempts, sent_at, last_error, not_before FROM accounts.mail_outbox")
    assert row["attempts"] == 1 and row["sent_at"] is None and row["last_error"]
    assert row["not_before"] == START + dt.timedelta(seconds=30)

    sw_mail.start()
    sw_mail.catch.refusing = True  # up, but saying "not now"
    clock.now += dt.timedelta(seconds=30)
    assert await sender.run_due() == 1
    assert sw_mail.catch.messages == []
    row = await pool.fetchrow("SELECT attempts, not_before FROM accounts.mail_outbox")
    assert row["attempts"] == 2 and row["not_before"] == clock.now + dt.timedelta(seconds=60)  # a longer wait

    sw_mail.catch.refusing = False
    clock.now += dt.timedelta(seconds=60)
    assert await sender.run_due() == 1
    clock.now += dt.timedelta(hours=2)
    assert await sender.run_due() == 0
    assert len(sw_mail.catch.messages) == 1
    message = sw_mail.catch.messages[0]
    assert message["Subject"] == "Note 0" and message["Message-ID"].endswith("@small-wins.invalid>")
    stored = await pool.fetchrow("SELECT message_id, sealed, sent_at FROM accounts.mail_outbox")
    assert stored["message_id"] == message["Message-ID"] and stored["sealed"] is None and stored["sent_at"]


async def test_two_senders_at_once_deliver_each_message_once(
    pool: asyncpg.Pool, database_url: str, settings: Settings, sw_mail: MailBox
) -> None:
    outbox = Outbox("accounts", settings.mail_from)
    await _queue(pool, outbox, 12)
    other = await create_pool(database_url, schema="accounts")  # as if from another copy of the service
    try:
        senders = [MailSender(p, outbox, SmtpTransport(settings), Clock()) for p in (pool, other)]
        taken = await asyncio.gather(*(s.run_due() for s in senders))
    finally:
        await other.close()
    assert sum(taken) == 12
    ids = [m["Message-ID"] for m in sw_mail.catch.messages]
    assert len(ids) == 12 and len(set(ids)) == 12
    assert await pool.fetchval("SELECT count(*) FROM accounts.mail_outbox WHERE sent_at IS NULL") == 0


async def test_mail_to_an_erased_member_is_dropped_not_sent(
    pool: asyncpg.Pool, settings: Settings, sw_mail: MailBox
) -> None:
    outbox = Outbox("accounts", settings.mail_from)
    member_id = await _queue(pool, outbox, 1)
    async with pool.acquire() as conn:
        await KeyStore("accounts").erase(conn, member_id)
    assert await MailSender(pool, outbox, SmtpTransport(settings), Clock()).run_due() == 1
    assert sw_mail.catch.messages == []
    assert await pool.fetchval("SELECT dropped_at IS NOT NULL FROM accounts.mail_outbox")
