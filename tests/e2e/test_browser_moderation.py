"""In Chromium: a reader reports a story as "someone may be at risk"; the moderator finds it at the
top of the queue, urgent, and reaches out; the writer sees the message and the helplines on their
home page. On the way: a reason-less rejection stays on the item page, an appeal shows its context,
the audit names items, and a new reader's feed blurs a suicide warning. Screenshots at 1280 and
390 px of each go to ``SMALLWINS_SCREENSHOTS`` (default: the test's folder)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.async_api import expect

from shared.settings import Settings
from tests.e2e.browser import chromium, screenshots_dir, shoot, web_server
from tests.e2e.test_browser_stories import member, moderator

pytestmark = pytest.mark.e2e


async def test_a_risk_report_reaches_the_moderator_first_and_the_writer_hears_from_them(
    settings: Settings, system: object, tmp_path: Path
) -> None:
    shots = screenshots_dir(tmp_path)
    async with web_server(settings) as url, chromium() as browser:
        wes = await member(browser, url, "Wes")
        for title, body in (
            (
                "A hard week",
                "This week was hard. I stayed in bed most days, but on Friday I called my sister and we walked by the river.",
            ),
            ("Candles", "I started making candles, and I sell them at my little shop."),
        ):
            await wes.goto(f"{url}/stories/new")
            await wes.get_by_label("Title").fill(title)
            await wes.get_by_label("Your story").fill(body)
            await wes.locator("input[name=warnings][value=suicide]").check() if title == "A hard week" else None
            await wes.get_by_role("button", name="Send for review").click()
        await expect(wes.get_by_role("alert")).to_have_count(0)  # calm enough to wait for review

        mo = await moderator(browser, url, settings)
        await mo.goto(f"{url}/moderation")
        await mo.get_by_role("link", name="A hard week").click()
        await mo.get_by_role("button", name="Decide").click()
        await mo.get_by_role("link", name="Candles").click()
        await mo.locator("input[name=action][value=reject]").check()
        await mo.get_by_label("Guidance for the author").fill("Please leave out the shop.")
        await mo.get_by_role("button", name="Decide").click()  # no reason: the page stays, guidance kept
        await expect(mo.locator("#reason-error")).to_contain_text("Please choose a reason")
        await expect(mo.get_by_label("Guidance for the author")).to_have_value("Please leave out the shop.")
        await mo.get_by_label("Reason (for anything but approval)").select_option("spam")
        await mo.get_by_role("button", name="Decide").click()
        await expect(mo.get_by_text("Nothing is waiting")).to_be_visible()

        rae = await member(browser, url, "Rae", phone=True)
        await rae.goto(f"{url}/stories")
        await expect(rae.locator("article.story-card details.blurred")).to_have_count(1)  # protected by default
        await shoot(rae, shots, "feed-new-reader")
        await rae.get_by_role("link", name="A hard week").click()
        await rae.get_by_text("Report this story").click()
        await rae.get_by_label("Why?").select_option("at-risk")
        await rae.get_by_label("Anything moderators should know?").fill("This sounds like they are not safe.")
        await rae.get_by_role("button", name="Send report").click()
        await expect(rae.get_by_role("heading", name="Thank you for telling us")).to_be_visible()
        await expect(rae.get_by_text("look at it first")).to_be_visible()

        await mo.goto(f"{url}/moderation")
        first = mo.locator("table.queue tbody tr").first
        await expect(first).to_contain_text("Urgent")
        await expect(first).to_contain_text("A hard week")
        await expect(first).to_contain_text("Someone may be at risk (1)")
        await shoot(mo, shots, "queue")
        await mo.get_by_role("link", name="A hard week").click()
        await expect(mo.locator("input[name=action]:checked")).to_have_count(0)  # nothing pre-selected
        await expect(mo.get_by_role("link", name="Guidance for crisis items")).to_be_visible()
        await mo.get_by_role("button", name="Claim it").click()
        await expect(mo.get_by_text("You're working on this")).to_be_visible()
        await mo.get_by_label("Checking in").check()
        await mo.get_by_label("A line of your own (optional)").fill("We read your story and we're glad you're here.")
        await shoot(mo, shots, "urgent-item")
        await mo.get_by_role("button", name="Send the message").click()
        await expect(mo.get_by_role("status")).to_contain_text("Your message is on its way")
        await mo.get_by_role("link", name="Guidance for crisis items").click()
        await expect(mo.get_by_role("heading", name="When to escalate")).to_be_visible()

        await wes.goto(f"{url}/")
        message = wes.locator("section.message-from-moderators")
        await expect(message).to_contain_text("we're glad you're here")
        await expect(message).to_contain_text("988")
        await expect(message).not_to_contain_text("content warning")
        await shoot(wes, shots, "writer-home")
        await rae.goto(f"{url}/")
        await expect(rae.locator("section.message-from-moderators")).to_have_count(0)

        await wes.goto(f"{url}/stories/mine")
        await wes.get_by_text("Ask another moderator to look again").click()
        await wes.get_by_label("Why should it be looked at again?").fill("The candles are part of my recovery.")
        await wes.get_by_role("button", name="Send the appeal").click()
        await expect(wes.get_by_text("waiting for a different moderator")).to_be_visible()
        await mo.goto(f"{url}/moderation")
        await mo.get_by_role("link", name="Candles").click()
        appeal = mo.locator("section.appeal")
        await expect(appeal).to_contain_text("Advertising or spam")
        await expect(appeal).to_contain_text("Please leave out the shop.")
        await expect(appeal).to_contain_text("The candles are part of my recovery.")
        await expect(mo.get_by_role("button", name="Claim it")).to_have_count(0)
        await shoot(mo, shots, "appeal")
        await mo.get_by_role("link", name="Audit").click()
        await expect(mo.locator("table.audit")).to_contain_text("reached out to the writer: story “A hard week”")
        await shoot(mo, shots, "audit")
