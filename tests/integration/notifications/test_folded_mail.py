"""Nothing a member asked to hear by e-mail is lost to the daily cap: an item e-mail the day's
limit keeps back is folded into the member's next daily digest (which comes for it even when no
kind goes to the digest), unless it was read in the app first. Real PostgreSQL, NATS and SMTP, and
a clock the test controls."""

from __future__ import annotations

import datetime as dt
import re
from uuid import UUID

import asyncpg
import msgspec
import pytest

from services.notifications.domain.preferences import DEFAULTS
from shared.bus.rpc import ServiceClient
from shared.contracts import notification_prefs as p
from shared.contracts import notifications as n
from shared.contracts.common import Acting
from shared.settings import Settings
from shared.testing.plugin import MailBox
from tests.integration.notifications.test_notification_mail import DELAY, Clock, confirmed, item, pool, tools

pytestmark = pytest.mark.integration
__all__ = ["pool"]  # the fixture, shared
DIGEST = "What's new for you on Small Wins"
_OUTCOMES = "SELECT item_id, outcome FROM jobs WHERE job = 'mail' AND member_id = $1"
_DIGEST_JOB = "SELECT due_at, done_at, outcome FROM jobs WHERE job_key = $1"


def digests(box: MailBox, address: str) -> list[str]:
    return [box.text(m) for m in box.to(address) if m["Subject"] == DIGEST]


async def test_an_email_kept_back_by_the_days_limit_comes_in_the_next_digest_unless_read_first(
    pool: asyncpg.Pool, client: ServiceClient, settings: Settings, sw_mail: MailBox
) -> None:
    clock = Clock()  # 12:00 UTC; the member keeps UTC and the gentle defaults (no kind in the digest)
    ana = await confirmed(client, "Ana", settings, sw_mail)
    scheduler, sender = tools(pool, client, settings, clock, per_day=1)
    assert await pool.fetchrow(_DIGEST_JOB, f"digest:{ana}") is None
    titles = ("Your story was approved", "Your reply was approved", "Your appeal was decided")
    at = [clock.now + dt.timedelta(seconds=s) for s in range(3)]  # noted in this order, taken in this order
    first, kept, read_first = [
        await item(pool, ana, "approved", when, title=t) for when, t in zip(at, titles, strict=True)
    ]
    clock.now += DELAY + dt.timedelta(seconds=2)
    assert await scheduler.run_due() == 3
    outcomes = dict(await pool.fetch(_OUTCOMES, ana))
    assert outcomes == {first: "sent", kept: "folded", read_first: "folded"}
    digest = await pool.fetchrow(_DIGEST_JOB, f"digest:{ana}")
    assert digest["done_at"] is None and digest["due_at"] == clock.now.replace(hour=18, minute=0, second=0)
    still = msgspec.structs.replace(DEFAULTS, quiet_end="07:00")  # a change of mind meanwhile keeps the digest
    await client.ask(n.SET_PREFERENCES, p.SetPreferencesRequest(preferences=still), actor=Acting(member_id=ana))
    assert (await pool.fetchrow(_DIGEST_JOB, f"digest:{ana}"))["done_at"] is None
    await client.ask(n.MARK_READ, n.ReadRequest(notification_id=read_first), actor=Acting(member_id=ana))
    assert await sender.run_due() == 1  # the first e-mail only

    clock.now = clock.now.replace(hour=18, minute=0, second=0)
    assert await scheduler.run_due() == 1
    assert await sender.run_due() == 1
    (text,) = digests(sw_mail, "ana@example.org")
    assert "Your reply was approved" in text and "Your appeal was decided" not in text  # read: never mailed
    assert "Your story was approved" not in text  # mailed already
    assert "already had the day's e-mails" in text and "You chose to get this once a day" not in text
    link = re.search(r"/unsubscribe/[^/]+/([^/\s]+)/", text)
    assert link and link.group(1) == "approved"  # stopping it stops those e-mails
    outcomes = dict(await pool.fetch(_OUTCOMES, ana))
    assert outcomes == {first: "sent", kept: "in digest", read_first: "read"}
    assert (await pool.fetchrow(_DIGEST_JOB, f"digest:{ana}"))["outcome"] == "not wanted"  # nothing goes to it now

    clock.now = (clock.now + dt.timedelta(days=1)).replace(hour=12)
    assert await scheduler.run_due() == 0 and await sender.run_due() == 0  # nothing waits: no digest
    await _one_a_day_more(pool, ana, clock, scheduler)
    clock.now = clock.now.replace(hour=18, minute=0)
    assert await scheduler.run_due() == 1 and await sender.run_due() == 2  # it came again for it
    assert len(digests(sw_mail, "ana@example.org")) == 2  # (the other mail: the e-mail sent that day)


async def _one_a_day_more(pool: asyncpg.Pool, member: UUID, clock: Clock, scheduler: object) -> None:
    """Two e-mails on a new day with a limit of one: one sent, one kept back for the digest."""
    sent, kept = [await item(pool, member, "removed", clock.now, title=t) for t in ("Removed", "Not approved")]
    clock.now += DELAY
    assert await scheduler.run_due() == 2  # type: ignore[attr-defined]
    outcomes = dict(await pool.fetch(_OUTCOMES, member))
    assert sorted([outcomes[sent], outcomes[kept]]) == ["folded", "sent"]


async def test_a_digest_the_member_chose_also_carries_what_was_kept_back(
    pool: asyncpg.Pool, client: ServiceClient, settings: Settings, sw_mail: MailBox
) -> None:
    clock = Clock()
    bo = await confirmed(client, "Bo", settings, sw_mail)
    chosen = msgspec.structs.replace(
        DEFAULTS, channels={**DEFAULTS.channels, "encouraged": "digest"}, digest_hour=18, quiet_hours=False
    )
    await client.ask(n.SET_PREFERENCES, p.SetPreferencesRequest(preferences=chosen), actor=Acting(member_id=bo))
    last, due = clock.now - dt.timedelta(days=1), clock.now.replace(hour=18)  # as on the test's clock
    await pool.execute("UPDATE jobs SET last_run = $2, due_at = $3 WHERE job_key = $1", f"digest:{bo}", last, due)
    scheduler, sender = tools(pool, client, settings, clock, per_day=1)
    await item(pool, bo, "encouraged", clock.now, channel_job=False, title="Ana is proud of your story")
    await item(pool, bo, "invited", clock.now, title="Cy invited you to support their journal")
    await item(pool, bo, "invited", clock.now, title="Di invited you to support their journal")
    clock.now += DELAY
    assert await scheduler.run_due() == 2
    assert await sender.run_due() == 1
    clock.now = clock.now.replace(hour=18, minute=0)
    assert await scheduler.run_due() == 1
    assert await sender.run_due() == 1
    (text,) = digests(sw_mail, "bo@example.org")
    assert "Ana is proud of your story" in text and "You chose to get this once a day" in text
    assert sum(f"{who} invited you" in text for who in ("Cy", "Di")) == 1  # the one kept back
    link = re.search(r"/unsubscribe/[^/]+/([^/\s]+)/", text)
    assert link and link.group(1) == "digest,invited"
    (mail,) = [m for m in sw_mail.to("bo@example.org") if m["Subject"] == DIGEST]
    assert "/digest,invited/" in mail["List-Unsubscribe"]
    assert (await pool.fetchrow(_DIGEST_JOB, f"digest:{bo}"))["due_at"] == clock.now + dt.timedelta(days=1)
