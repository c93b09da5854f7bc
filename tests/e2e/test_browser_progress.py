"""In Chromium: the progress page of a member who has bounced back many times sums it up (ADR 26),
and reads well at 1280 and 390 px."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from uuid import UUID

import asyncpg
import pytest
from playwright.async_api import expect

from services.journal.progress import BOUNCE_LISTED
from shared.bus.connection import connect
from shared.bus.rpc import ServiceClient
from shared.contracts import journal as j
from shared.contracts.common import Acting
from shared.settings import Settings
from shared.testing.plugin import eventually
from tests.e2e.browser import chromium, screenshots_dir, shoot, web_server
from tests.e2e.test_browser_journal import sign_up

pytestmark = pytest.mark.e2e


async def _member_id(database_url: str, name: str) -> UUID:
    async def known() -> UUID | None:
        conn = await asyncpg.connect(database_url)
        try:
            return await conn.fetchval("SELECT member_id FROM journal.people WHERE pseudonym = $1", name)
        finally:
            await conn.close()

    found = await eventually(known)
    assert found is not None
    return found


async def _bounce_backs(settings: Settings, actor: Acting, pairs: int) -> None:
    """``pairs`` setbacks, each followed by a victory 0, 1 or 2 days later, and a mood a week."""
    today = dt.datetime.now(dt.UTC).date()
    nc = await connect(settings.servers()[1], name="test")
    client = ServiceClient(nc, settings.nats_prefix)

    async def record(kind: str, days_ago: int, mood: int | None = None, themes: tuple[str, ...] = ()) -> None:
        day = today - dt.timedelta(days=days_ago)
        entry = j.EntryFields(kind=kind, text=kind, mood=mood, themes=themes, occurred_on=day)
        await client.call("journal", "record", j.RecordRequest(entry=entry), j.Saved, actor=actor)

    try:
        for i in range(pairs):
            await record("setback", 60 - 4 * i)
            await record("victory", 60 - 4 * i - i % 3, themes=("healthy-habits",))
            await record("mood", 60 - 4 * i, mood=2 + i % 4)
    finally:
        await nc.close()


async def test_many_bounce_backs_read_as_a_summary(settings: Settings, system: object, tmp_path: Path) -> None:
    shots = screenshots_dir(tmp_path)
    async with web_server(settings) as url, chromium() as browser:
        ana = await (await browser.new_context()).new_page()
        await sign_up(ana, url, "Ana")
        member_id = await _member_id(settings.database_url or "", "Ana")
        await _bounce_backs(settings, Acting(member_id=member_id, pseudonym="Ana"), BOUNCE_LISTED + 3)
        await ana.goto(f"{url}/journal/progress")
        bounce = ana.locator("section", has=ana.get_by_role("heading", name="Bouncing back"))
        await expect(bounce).to_contain_text("After a setback, your next victory usually came 1 day later")
        await expect(bounce).to_contain_text(f"the middle of the last {BOUNCE_LISTED + 3} times you bounced back")
        await expect(bounce).to_contain_text(
            "The most recent: 2 days later, the same day, 1 day later, 2 days later, the same day."
        )
        await shoot(ana, shots, "progress-many-bounce-backs")
