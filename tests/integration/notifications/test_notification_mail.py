"""Notification mail and schedules with real PostgreSQL, NATS and SMTP, and a clock the test
controls: the delayed e-mail skipped when read first, quiet hours, the daily cap, a digest sent
once by two schedulers, a reminder never on a day the member wrote, a repeat that adds nothing.
What the daily cap keeps back goes into the digest: ``test_folded_mail``."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from collections.abc import AsyncIterator
from uuid import UUID, uuid4

import asyncpg
import msgspec
import pytest
import pytest_asyncio

from services.notifications import links, schedule
from services.notifications.domain.preferences import DEFAULTS
from services.notifications.jobs import Mailer
from services.notifications.scheduler import Scheduler
from shared.bus.rpc import ServiceClient
from shared.contracts import accounts as acc
from shared.contracts import notification_prefs as p
from shared.contracts import notifications as n
from shared.contracts.common import Acting
from shared.db import create_pool
from shared.mail import MailSender, Outbox, SmtpTransport
from shared.settings import Settings
from shared.testing.plugin import MailBox, eventually
from tests.support.people import register

pytestmark = pytest.mark.integration
DELAY = dt.timedelta(minutes=5)


class Clock:
    def __init__(self) -> None:  # a day ahead of the running services' own clocks
        self.now = dt.datetime.now(dt.UTC).replace(hour=12, minute=0, second=0, microsecond=0) + dt.timedelta(days=2)

    def __call__(self) -> dt.datetime:
        return self.now


@pytest_asyncio.fixture
async def pool(settings: Settings, system: object) -> AsyncIterator[asyncpg.Pool]:
    pool = await create_pool(settings.database_url or "", schema="notifications")
    yield pool
    await pool.close()


def tools(
    pool: asyncpg.Pool, client: ServiceClient, settings: Settings, clock: Clock, per_day: int = 5
) -> tuple[Scheduler, MailSender]:
    outbox = Outbox("notifications", settings.mail_from)
    mailer = Mailer(outbox=outbox, accounts=client, base_url="https://small-wins.example", secret=settings.secret_key,
                    delay=DELAY, per_day=per_day)  # fmt: skip
    return Scheduler(pool, mailer, clock), MailSender(pool, outbox, SmtpTransport(settings), clock)


async def confirmed(client: ServiceClient, name: str, settings: Settings, box: MailBox) -> UUID:
    person = await register(client, name, settings.database_url or "")
    address = f"{name.lower()}@example.org"
    text = await eventually(lambda: _newest(box, address), timeout=15)
    token = re.search(r"/confirm/([A-Za-z0-9_\-]+)", text)
    assert token
    await client.ask(acc.FOLLOW_LINK, acc.LinkRequest(token=token.group(1)))
    return person.id


async def _newest(box: MailBox, address: str) -> str:
    found = box.to(address)
    return box.text(found[-1]) if found else ""


async def item(
    pool: asyncpg.Pool, member: UUID, kind: str, at: dt.datetime, channel_job: bool = True,
    title: str = "Your story was approved",
) -> UUID:  # fmt: skip
    """An inbox item as the consumers write it, and its e-mail job (as ``inbox.deliver`` adds it)."""
    nid = uuid4()
    await pool.execute(
        "INSERT INTO inbox (notification_id, member_id, kind, title, body, created_at, updated_at)"
        " VALUES ($1, $2, $3, $4, 'It is in the feed now.', $5, $5)",
        nid, member, kind, title, at,
    )  # fmt: skip
    if channel_job:
        async with pool.acquire() as conn:
            await schedule.mail_item(conn, member, nid, at)
            await schedule.mail_item(conn, member, nid, at)  # a redelivery adds nothing
    return nid


async def test_the_delayed_mail_waits_is_skipped_when_read_first_held_in_quiet_hours_and_kept_back(
    pool: asyncpg.Pool, client: ServiceClient, settings: Settings, sw_mail: MailBox
) -> None:
    clock = Clock()
    ana = await confirmed(client, "Ana", settings, sw_mail)
    scheduler, sender = tools(pool, client, settings, clock, per_day=1)
    first, second, third = [await item(pool, ana, "approved", clock.now) for _ in range(3)]
    assert await pool.fetchval("SELECT count(*) FROM jobs WHERE job = 'mail'") == 3
    clock.now += dt.timedelta(minutes=4)
    assert await scheduler.run_due() == 0  # still waiting
    await client.ask(n.MARK_READ, n.ReadRequest(notification_id=first), actor=Acting(member_id=ana))
    clock.now += dt.timedelta(minutes=2)
    assert await scheduler.run_due() == 3
    outcomes = dict(await pool.fetch("SELECT item_id, outcome FROM jobs WHERE job = 'mail'"))
    assert outcomes[first] == "read" and sorted([outcomes[second], outcomes[third]]) == ["folded", "sent"]
    await sender.run_due()
    mails = [m for m in sw_mail.to("ana@example.org") if m["Subject"] == "Your story was approved"]
    assert len(mails) == 1
    unsubscribe = mails[0]["List-Unsubscribe"]
    assert unsubscribe.startswith("<https://small-wins.example/unsubscribe/") and "/approved/" in unsubscribe
    assert mails[0]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    quiet = msgspec.structs.replace(DEFAULTS, quiet_start="00:00", quiet_end="23:59")
    await client.ask(n.SET_PREFERENCES, p.SetPreferencesRequest(preferences=quiet), actor=Acting(member_id=ana))
    clock.now += dt.timedelta(days=1)
    late = await item(pool, ana, "approved", clock.now)
    clock.now += DELAY
    assert await scheduler.run_due() == 2  # the late e-mail, and the digest the kept-back one waits for
    row = await pool.fetchrow("SELECT done_at, due_at FROM jobs WHERE item_id = $1", late)
    assert row["done_at"] is None and row["due_at"] > clock.now  # held until the quiet hours end


async def test_a_digest_is_sent_once_by_two_schedulers_and_only_with_something_new(
    pool: asyncpg.Pool, client: ServiceClient, settings: Settings, sw_mail: MailBox
) -> None:
    clock = Clock()
    bo = await confirmed(client, "Bo", settings, sw_mail)
    chosen = msgspec.structs.replace(
        DEFAULTS, channels={**DEFAULTS.channels, "encouraged": "digest"}, digest_hour=clock.now.hour, quiet_hours=False
    )
    await client.ask(n.SET_PREFERENCES, p.SetPreferencesRequest(preferences=chosen), actor=Acting(member_id=bo))
    await pool.execute("UPDATE jobs SET due_at = $2 WHERE job_key = $1", f"digest:{bo}", clock.now)
    await item(pool, bo, "encouraged", clock.now - dt.timedelta(hours=1), channel_job=False)
    first, second = tools(pool, client, settings, clock), tools(pool, client, settings, clock)
    taken = await asyncio.gather(first[0].run_due(), second[0].run_due())
    assert sum(taken) == 1
    await first[1].run_due()
    digests = [m for m in sw_mail.to("bo@example.org") if m["Subject"] == "What's new for you on Small Wins"]
    assert len(digests) == 1
    clock.now += dt.timedelta(days=1)  # nothing new since: no digest
    assert await first[0].run_due() == 1
    assert await first[1].run_due() == 0


async def test_a_reminder_never_on_a_day_the_member_wrote(
    pool: asyncpg.Pool, client: ServiceClient, settings: Settings, sw_mail: MailBox
) -> None:
    clock = Clock()
    cy = await confirmed(client, "Cy", settings, sw_mail)
    chosen = msgspec.structs.replace(DEFAULTS, reminder=True, reminder_time="12:30", quiet_hours=False)
    await client.ask(n.SET_PREFERENCES, p.SetPreferencesRequest(preferences=chosen), actor=Acting(member_id=cy))
    await pool.execute("UPDATE jobs SET due_at = $2 WHERE job_key = $1", f"reminder:{cy}", clock.now)
    await pool.execute("INSERT INTO last_wrote (member_id, wrote_at) VALUES ($1, $2)", cy, clock.now)
    scheduler, sender = tools(pool, client, settings, clock)
    assert await scheduler.run_due() == 1
    assert await sender.run_due() == 0  # wrote today: no reminder
    clock.now += dt.timedelta(days=1)
    assert await scheduler.run_due() == 1
    assert await scheduler.run_due() == 0  # at most one a day
    assert await sender.run_due() == 1
    text = sw_mail.text(sw_mail.to("cy@example.org")[-1])
    assert "How are you today?" in text and "missed" not in text
    assert links.signature(settings.secret_key, cy, "reminder") in text
