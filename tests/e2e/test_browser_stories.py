"""In Chromium: journal entries become a story that a moderator approves and a reader encourages;
a story with crisis language shows its writer the helplines and waits, urgent, for a moderator.
Screenshots at 1280 and 390 px go to ``SMALLWINS_SCREENSHOTS`` (default: the test's folder)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, expect

from shared.bus.connection import connect
from shared.bus.rpc import ServiceClient
from shared.contracts.accounts import GrantRoleRequest, MemberView
from shared.settings import Settings
from smallwins.servers import operator
from tests.e2e.browser import chromium, screenshots_dir, shoot, web_server
from tests.e2e.test_browser_journal import fill_sign_in, record_victory, sign_up

pytestmark = pytest.mark.e2e
PHONE = {"width": 390, "height": 844}


async def member(browser: Browser, url: str, name: str, *, phone: bool = False) -> Page:
    context = await browser.new_context(viewport=PHONE if phone else {"width": 1280, "height": 900})
    page = await context.new_page()
    await sign_up(page, url, name)
    return page


async def moderator(browser: Browser, url: str, settings: Settings, name: str = "Mo") -> Page:
    page = await member(browser, url, name)
    nc = await connect(settings.servers()[1], name="test")
    try:
        grant = GrantRoleRequest(pseudonym=name, role="moderator")
        await ServiceClient(nc, settings.nats_prefix).call(
            "accounts", "grant_role", grant, MemberView, actor=operator()
        )
    finally:
        await nc.close()
    await page.get_by_role("button", name="Sign out").click()  # a new session carries the new role
    await page.goto(f"{url}/signin")
    await fill_sign_in(page, name)
    await expect(page.get_by_role("link", name="Moderation")).to_be_visible()
    return page


async def test_journal_to_story_moderated_encouraged_and_replied_to(
    settings: Settings, system: object, tmp_path: Path
) -> None:
    shots = screenshots_dir(tmp_path)
    async with web_server(settings) as url, chromium() as browser:
        ana = await member(browser, url, "Ana")
        await ana.goto(f"{url}/journal")
        await record_victory(ana, "Went for a walk in the rain")
        await record_victory(ana, "Called my sister")
        await ana.get_by_role("link", name="Stories").click()
        await ana.get_by_role("link", name="Share a story").click()
        since = (dt.datetime.now(dt.UTC).date() - dt.timedelta(days=30)).isoformat()
        await ana.get_by_label("From").fill(since)
        await ana.get_by_role("button", name="Draft my story").click()
        await expect(ana.get_by_label("Your story")).to_contain_text("Went for a walk in the rain")
        await expect(ana.get_by_label("Title")).to_have_value("Two small wins")
        await ana.get_by_label("Title").fill("Two small wins in the rain")
        await shoot(ana, shots, "story-write")
        await ana.get_by_role("button", name="Send for review").click()
        await expect(ana.get_by_text("A moderator will read it soon")).to_be_visible()
        await expect(ana.locator("article.submission")).to_contain_text("Waiting for review")

        mo = await moderator(browser, url, settings)
        await mo.get_by_role("link", name="Moderation").click()
        await shoot(mo, shots, "moderation-queue")
        await mo.get_by_role("link", name="Two small wins in the rain").click()
        await mo.get_by_role("button", name="Claim it").click()
        await shoot(mo, shots, "moderation-item")
        await mo.get_by_role("button", name="Decide").click()
        await expect(mo.get_by_text("Nothing is waiting")).to_be_visible()

        bo = await member(browser, url, "Bo", phone=True)
        await bo.goto(f"{url}/stories")
        await shoot(bo, shots, "story-feed")
        await bo.get_by_role("link", name="Two small wins in the rain").click()
        await bo.get_by_role("button", name="Proud of you").click()
        await expect(bo.get_by_role("button", name="Proud of you ✓")).to_be_visible()
        await bo.get_by_label("Write a supportive reply").fill("So proud of you, Ana")
        await bo.get_by_role("button", name="Send reply").click()
        await expect(bo.get_by_text("A moderator will read your reply")).to_be_visible()
        await expect(bo.locator(".reply")).to_contain_text("Waiting for review")

        await mo.get_by_role("link", name="Moderation").click()
        await mo.get_by_role("link", name="Reply: So proud of you, Ana").click()
        await mo.get_by_role("button", name="Decide").click()

        await ana.goto(f"{url}/stories/mine")
        await ana.get_by_role("link", name="Two small wins in the rain").click()
        await expect(ana.locator("ul.counts")).to_contain_text("Proud of you: 1")
        await expect(ana.locator(".reply")).to_contain_text("So proud of you, Ana")
        await expect(ana.locator(".reply")).to_contain_text("Bo")
        await shoot(ana, shots, "story-page")


async def test_crisis_story_shows_helplines_goes_first_marked_urgent_and_never_in_the_feed(
    settings: Settings, system: object
) -> None:
    async with web_server(settings) as url, chromium() as browser:
        cal = await member(browser, url, "Cal")
        await cal.goto(f"{url}/stories/new")
        await cal.get_by_label("Title").fill("Tea in the garden")
        await cal.get_by_label("Your story").fill("I made tea and sat in the garden for a while.")
        await cal.get_by_role("button", name="Send for review").click()

        lee = await member(browser, url, "Lee", phone=True)
        await lee.goto(f"{url}/stories/new")
        await lee.get_by_label("Title").fill("Tonight")
        await lee.get_by_label("Your story").fill("I don't think I can go on. I've been saving my pills.")
        await lee.get_by_role("button", name="Send for review").click()
        alert = lee.get_by_role("alert")
        await expect(alert).to_contain_text("988")
        await expect(alert).to_contain_text("only you see this message")

        mo = await moderator(browser, url, settings)
        await mo.goto(f"{url}/moderation")
        first = mo.locator("table.queue tbody tr").first
        await expect(first).to_contain_text("Urgent")
        await expect(first).to_contain_text("Tonight")
        await expect(mo.locator("table.queue tbody tr").nth(1)).to_contain_text("Tea in the garden")
        await mo.get_by_role("link", name="Tea in the garden").click()
        await mo.get_by_role("button", name="Decide").click()

        await cal.goto(f"{url}/stories")
        await expect(cal.get_by_role("link", name="Tea in the garden")).to_be_visible()
        await expect(cal.get_by_text("Tonight")).to_have_count(0)
        await expect(cal.get_by_role("alert")).to_have_count(0)
