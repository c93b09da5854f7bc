"""In Chromium: axe-core finds nothing on any page, signed out, as a member, as a supporter and as
a moderator, at 1280 and 390 px; and after a refused form the keyboard starts at a summary whose
links reach each field. Screenshots of every page go to ``SMALLWINS_SCREENSHOTS`` (default: the
test's folder)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from axe_playwright_python.async_playwright import Axe
from playwright.async_api import Page, expect

from shared.bus.connection import connect
from shared.bus.rpc import ServiceClient
from shared.contracts import journal as j
from shared.contracts import stories as s
from shared.settings import Settings
from tests.e2e.browser import chromium, screenshots_dir, shoot, web_server
from tests.e2e.test_browser_journal import record_victory
from tests.e2e.test_browser_stories import PHONE, member, moderator
from tests.support.people import Person, register
from tests.support.stories import Teller

pytestmark = pytest.mark.e2e
WIDTHS = ({"width": 1280, "height": 900}, PHONE)
AXE = Axe()


async def violations(page: Page) -> list[str]:
    results = await AXE.run(page)
    return [f"{v['id']} ({v['impact']}) on {[n['target'] for n in v['nodes']]}" for v in results.response["violations"]]


async def audit(page: Page, url: str, path: str, shots: Path, found: list[str], name: str = "") -> None:
    """Open ``path`` and let axe read it at both widths; what it finds is added to ``found``."""
    await page.goto(url + path)
    await audit_here(page, shots, found, name or path)


async def audit_here(page: Page, shots: Path, found: list[str], name: str) -> None:
    for size in WIDTHS:
        await page.set_viewport_size(size)
        found += [f"{name} at {size['width']} px: {v}" for v in await violations(page)]
    await shoot(page, shots, "a11y-" + (re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "home"))


async def test_axe_sees_what_it_should(settings: Settings, system: object) -> None:
    """The audit below finds nothing; this shows that it would find something."""
    async with web_server(settings) as url, chromium() as browser:
        page = await (await browser.new_context()).new_page()
        await page.goto(f"{url}/signin")
        assert await violations(page) == []
        await page.evaluate("document.querySelector('label[for=email]').remove()")
        assert any(v.startswith("label ") for v in await violations(page))


async def test_axe_finds_nothing_on_any_page(settings: Settings, system: object, tmp_path: Path) -> None:
    shots, found = screenshots_dir(tmp_path), []
    async with web_server(settings) as url, chromium() as browser:
        visitor = await (await browser.new_context()).new_page()
        for path in ("/", "/signin", "/signup", "/help", "/schema", "/no-such-page"):
            await audit(visitor, url, path, shots, found, "visitor " + path)
        await visitor.goto(f"{url}/signup")
        await visitor.get_by_role("button", name="Create my account").click()  # nothing filled in
        await audit_here(visitor, shots, found, "signup refused")

        ana = await member(browser, url, "Ana")
        await audit(ana, url, "/", shots, found, "member home, new")
        await ana.goto(f"{url}/journal?write=setback")
        await ana.get_by_label("What happened?").fill("A heavy week; I stayed in")
        await ana.get_by_label("Building a support system").check()  # a long pill, on a phone too
        await ana.get_by_label("Navigating setbacks").check()
        await ana.get_by_label(re.compile("^When")).fill(
            (dt.datetime.now(dt.UTC).date() - dt.timedelta(days=40)).isoformat()
        )
        await ana.get_by_role("button", name="Save a setback").click()
        await ana.goto(f"{url}/journal")
        await record_victory(ana, "Went for a walk in the rain")
        entry_id = (await ana.locator("li.item").first.get_attribute("id") or "e-")[2:]
        await audit(ana, url, "/", shots, found, "member home, begun")
        for path in ("/journal", "/journal?write=setback", "/journal?write=mood", "/journal/progress"):
            await audit(ana, url, path, shots, found)
        await audit(ana, url, f"/journal/entries/{entry_id}/edit?back=/journal", shots, found, "edit entry")
        await ana.goto(f"{url}/journal?write=mood")
        await ana.get_by_role("button", name="Save a mood check-in").click()  # no mood chosen
        await audit_here(ana, shots, found, "journal mood refused")

        ben = await member(browser, url, "Ben")
        await ana.goto(f"{url}/journal/supporters")
        await ana.get_by_label("Their pseudonym on Small Wins").fill("Ben")
        await ana.get_by_role("button", name="Send invitation").click()
        await audit_here(ana, shots, found, "journal supporters")
        await audit(ben, url, "/", shots, found, "invited home")  # an invitation waits
        await ben.locator("li.invitation").get_by_role("button", name="Accept").click()
        await audit_here(ben, shots, found, "supported journal")
        await ben.get_by_role("link", name=re.compile("mood and progress")).click()
        await audit_here(ben, shots, found, "supported progress")

        since = (dt.datetime.now(dt.UTC).date() - dt.timedelta(days=30)).isoformat()
        for path, name in (
            ("/stories", "feed"),
            ("/stories/settings", "story settings"),
            (f"/stories/new?from={since}", "story drafted"),
            ("/stories/new?from=2001-01-01&to=2001-01-31", "story nothing to draft"),
        ):
            await audit(ana, url, path, shots, found, name)
        await ana.goto(f"{url}/stories/new?from={since}")
        await ana.get_by_role("button", name="Send for review").click()
        await audit_here(ana, shots, found, "stories mine")

        mo = await moderator(browser, url, settings)
        for path in ("/moderation", "/moderation?only=reports", "/moderation/audit"):
            await audit(mo, url, path, shots, found)
        await mo.goto(f"{url}/moderation")
        await mo.get_by_role("link", name="One small win").click()
        await audit_here(mo, shots, found, "moderation item")
        await mo.get_by_role("button", name="Claim it").click()
        await mo.get_by_role("button", name=re.compile("Approve|Decide|Record")).first.click()
        await audit(ana, url, "/stories", shots, found, "feed with a story")
        await ana.get_by_role("link", name=re.compile("small win")).first.click()
        await audit_here(ana, shots, found, "story")
    assert not found, "axe found:\n" + "\n".join(found)


async def test_a_refused_save_puts_focus_on_a_summary_whose_links_reach_each_field(
    settings: Settings, system: object
) -> None:
    async with web_server(settings) as url, chromium() as browser:
        kai = await member(browser, url, "Kai", phone=True)
        for kind, button, field in (
            ("victory", "Save a small win", "victory-text"),
            ("mood", "Save a mood check-in", "mood-mood-1"),
        ):
            await kai.goto(f"{url}/journal?write={kind}")
            await kai.get_by_role("button", name=button).click()  # nothing written, no mood chosen
            summary = kai.locator("#error-summary")
            await expect(summary).to_be_focused()
            await expect(summary).to_be_in_viewport()
            await kai.keyboard.press("Tab")
            link = summary.get_by_role("link").first
            await expect(link).to_be_focused()
            await kai.keyboard.press("Enter")
            target = kai.locator(f"#{field}")
            await expect(target).to_be_focused()
            await expect(target).to_be_in_viewport()
            # what a screen reader hears on the field: its error
            described = await target.evaluate(
                "el => (el.closest('[aria-describedby]') || el).getAttribute('aria-describedby')"
            )
            assert described and (await kai.locator(f"#{described.split()[-1]}").inner_text()) in (
                await link.inner_text()
            )


async def _told(client: ServiceClient, settings: Settings) -> Person:
    """Ana, whose inbox holds a grouped encouragement, an approval, a new supporter and a note."""
    db = settings.database_url or ""
    ana, ben, cy, kim = [await register(client, name, db) for name in ("Ana", "Ben", "Cy", "Kim")]
    story = await Teller(client, "Ana", member_id=ana.id).submit("A walk in the rain")
    mo = Teller(client, "Mo", "moderator")
    await mo.call("claim", s.Done, item_id=story.id)
    await mo.moderate(story.id)
    for reader in (ben, cy):
        await Teller(client, reader.name, member_id=reader.id).call(
            "encourage", s.Done, story_id=story.id, kind="proud"
        )
    await ana.call("invite", j.Saved, pseudonym="kim", role="encourager")
    jid = (await ana.timeline()).journal.journal_id
    await kim.call("respond", j.Saved, journal_id=jid, accept=True)
    shared = await ana.call("record", j.Saved, entry={"kind": "victory", "text": "A walk", "visibility": "supporters"})
    await kim.call("note", j.Saved, entry_id=shared.id, text="So proud of you")
    return ana


async def test_axe_finds_nothing_on_the_inbox_full_or_caught_up(
    settings: Settings, system: object, tmp_path: Path
) -> None:
    shots, found = screenshots_dir(tmp_path), []
    nc = await connect(settings.servers()[1], name="test")
    try:
        ana = await _told(ServiceClient(nc, settings.nats_prefix), settings)
    finally:
        await nc.close()
    async with web_server(settings) as url, chromium() as browser:
        page = await (await browser.new_context()).new_page()
        await page.goto(f"{url}/signin")
        await page.get_by_label("E-mail").fill("ana@example.org")
        await page.get_by_label("Password").fill("a long enough password")
        await page.get_by_role("button", name="Sign in").click()
        await page.goto(f"{url}/inbox")
        for _ in range(50):  # the consumers may still be telling her
            if await page.get_by_text("Kim left a note on your journal").count():
                break
            await page.wait_for_timeout(200)
            await page.reload()
        await expect(page.get_by_role("link", name="Ben and Cy are proud of your story")).to_be_visible()
        await audit_here(page, shots, found, "inbox")
        await page.get_by_role("button", name="Mark all as read").focus()
        await page.keyboard.press("Tab")  # the newest item's link, then its first button
        await page.keyboard.press("Tab")
        focused = page.locator(":focus")
        await expect(focused).to_have_text(re.compile("^Mark as read: Kim left a note"))
        assert await focused.evaluate("el => getComputedStyle(el).outlineStyle") == "solid"
        await shoot(page, shots, "inbox-focus")
        await page.get_by_role("button", name="Mark all as read").click()
        await expect(page.get_by_role("heading", name="You're all caught up")).to_be_visible()
        await audit_here(page, shots, found, "inbox caught up")
    assert ana.name == "Ana"
    assert not found, "axe found:\n" + "\n".join(found)
