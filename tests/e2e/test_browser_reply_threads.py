"""In Chromium: a reader answers a reply from the story page ("Reply" under it, no script needed),
the answer is labelled and sits in its thread, and axe finds nothing on the page, at 1280 and
390 px. Screenshots go to ``SMALLWINS_SCREENSHOTS`` (default: the test's folder)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, expect

from shared.bus.connection import connect
from shared.bus.rpc import ServiceClient
from shared.contracts import stories as s
from shared.settings import Settings
from tests.e2e.browser import chromium, screenshots_dir, shoot, web_server
from tests.e2e.test_browser_a11y import WIDTHS, violations
from tests.e2e.test_browser_stories import PHONE
from tests.support.people import register
from tests.support.stories import Teller

pytestmark = pytest.mark.e2e


async def signed_in(browser: Browser, url: str, name: str, *, phone: bool = False) -> Page:
    """A member ``register`` made, signed in."""
    page = await (await browser.new_context(viewport=PHONE if phone else WIDTHS[0])).new_page()
    await page.goto(f"{url}/signin")
    await page.get_by_label("E-mail").fill(f"{name.lower()}@example.org")
    await page.get_by_label("Password").fill("a long enough password")
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    return page


async def axe_finds_nothing(page: Page, name: str) -> None:
    found = []
    for size in WIDTHS:
        await page.set_viewport_size(size)
        found += [f"{name} at {size['width']} px: {v}" for v in await violations(page)]
    assert not found, "axe found:\n" + "\n".join(found)


async def test_a_reader_answers_a_reply_and_the_answer_sits_in_its_thread(
    settings: Settings, system: object, tmp_path: Path
) -> None:
    shots, db = screenshots_dir(tmp_path), settings.database_url or ""
    nc = await connect(settings.servers()[1], name="test")
    try:
        client = ServiceClient(nc, settings.nats_prefix)
        ana, bo, cy, di = [await register(client, n, db) for n in ("Ana", "Bo", "Cy", "Di")]
        tell = {p.name: Teller(client, p.name, member_id=p.id) for p in (ana, bo, cy, di)}
        mod = Teller(client, "Mo", "moderator")
        story = await tell["Ana"].submit(
            "Back at the allotment", "Three weeks ago I couldn't face the door. Today I planted the beans."
        )
        await mod.moderate(story.id)
        for who, words in (("Bo", "Beans! That is a real win. I still struggle with the door most days."),
                           ("Di", "This made my morning. Thank you for writing it.")):  # fmt: skip
            await mod.moderate((await tell[who].call("reply", s.Posted, story_id=story.id, body=words)).id)

        async with web_server(settings) as url, chromium() as browser:
            page = await signed_in(browser, url, "Cy", phone=True)
            await page.goto(f"{url}/stories/{story.id}")
            await page.get_by_role("link", name="Reply to Bo").click()
            form = page.locator("#reply-form")
            await expect(form).to_contain_text("Replying to Bo")
            await expect(form).to_contain_text("I still struggle with the door")
            await expect(page.get_by_label("Your reply to Bo")).to_be_focused()  # the link's target: the box
            await expect(form.locator(".replying-to")).to_be_in_viewport()  # with what it answers in view
            await page.screenshot(path=str(shots / "reply-answering-landed-390.png"))  # what the phone shows
            await page.evaluate("window.scrollTo(0, 0)")
            await shoot(page, shots, "reply-answering")
            await axe_finds_nothing(page, "answering a reply")
            await page.get_by_label("Your reply to Bo").fill("Bo, the door was my hardest step too. It gets lighter.")
            await page.get_by_role("button", name="Send reply").click()
            await expect(page.get_by_text("A moderator will read your reply")).to_be_visible()
            await expect(
                page.get_by_label("Write a supportive reply")
            ).to_be_visible()  # the form answers the story again

            mine = await tell["Cy"].call("mine", s.MineView)
            await mod.moderate(mine.items[0].id)
            reader = await signed_in(browser, url, "Ana")
            await reader.goto(f"{url}/stories/{story.id}")
            replies = reader.locator(".reply")
            await expect(replies).to_have_count(3)
            await expect(replies.nth(1)).to_have_class("reply nested")
            await expect(replies.nth(1)).to_contain_text("In reply to Bo")
            await expect(replies.nth(1)).to_contain_text("the door was my hardest step")
            await expect(replies.nth(2)).to_contain_text("Di")
            await shoot(reader, shots, "reply-thread")
            await axe_finds_nothing(reader, "a story with a threaded reply")
    finally:
        await nc.close()
