"""In Chromium: a supporter keeps a journal for a friend, who takes it over step by step."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import Page, expect

from shared.settings import Settings
from tests.e2e.browser import chromium, web_server

pytestmark = pytest.mark.e2e


async def fill_sign_up(page: Page, name: str) -> None:
    """Send the sign-up form the page shows, for ``name`` (e-mail from the name)."""
    await page.get_by_label("Pseudonym").fill(name)
    await page.get_by_label("E-mail").fill(f"{name.lower()}@example.org")
    await page.get_by_label("Password").fill("one step at a time")
    await page.get_by_role("button", name="Create my account").click()
    await expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()
    await fill_sign_in(page, name)  # sign-up ends on "check your e-mail", which offers to sign in (ADR 28)


async def fill_sign_in(page: Page, name: str) -> None:
    """Send the sign-in form the page shows, as the member ``sign_up`` made for ``name``."""
    await page.get_by_label("E-mail").fill(f"{name.lower()}@example.org")
    await page.get_by_label("Password").fill("one step at a time")
    await page.get_by_role("button", name="Sign in").click()


async def sign_up(page: Page, url: str, name: str) -> None:
    await page.goto(f"{url}/signup")
    await fill_sign_up(page, name)
    await expect(page.get_by_role("heading", name=f"Hello, {name}")).to_be_visible()


async def record_victory(page: Page, text: str) -> None:
    """A small win shared with supporters, written by the member or by a keeper for them."""
    form = page.locator("form.entry-form").filter(has=page.locator("input[name=kind][value=victory]"))
    await form.get_by_label(re.compile(r"^What went well")).fill(text)
    await form.locator("input[name=visibility][value=supporters]").check()
    await form.get_by_role("button", name="Save a small win").click()
    await expect(page.get_by_text(text)).to_be_visible()


async def test_keeper_starts_journal_friend_takes_over_and_sees_progress(settings: Settings, system: object) -> None:
    async with web_server(settings) as url, chromium() as browser:
        sam = await (await browser.new_context()).new_page()
        await sign_up(sam, url, "Sam")
        await sam.get_by_role("link", name="Supporters").click()
        await sam.get_by_label("Their first name or a nickname").fill("Alex")
        await sam.get_by_role("button", name="Start their journal").click()
        claim_link = await sam.locator("a.claim-link").inner_text()
        await sam.get_by_role("link", name="Write the first entry for them").click()
        await expect(sam.get_by_role("heading", name="Alex's journal")).to_be_visible()
        await record_victory(sam, "Alex made breakfast")
        await sam.get_by_label("Propose the next step").select_option("kept_together")
        await sam.get_by_role("button", name="Propose").click()
        await expect(sam.get_by_text("Handover step proposed")).to_be_visible()

        alex = await (await browser.new_context(viewport={"width": 390, "height": 844})).new_page()
        await sign_up(alex, url, "Alex")
        await alex.goto(claim_link)
        await alex.get_by_role("button", name="Take over my journal").click()
        await expect(alex.get_by_role("heading", name="Your journal")).to_be_visible()
        await expect(alex.get_by_text("Alex made breakfast")).to_be_visible()
        await expect(alex.get_by_text("Written by Sam for you").first).to_be_visible()
        # written while Sam kept the journal: no confirmation asked
        await expect(alex.locator("li.item").filter(has_text="Alex made breakfast")).not_to_contain_text("confirm")

        handover = alex.locator("#handover")
        await expect(handover).to_contain_text("Sam proposes: Kept together: Sam writes with you")
        await handover.get_by_role("button", name="Accept this step").click()
        await expect(alex.get_by_text("You accepted the handover step")).to_be_visible()

        await sam.reload()
        await record_victory(sam, "Alex answered a friend's message")
        await alex.reload()
        entry = alex.locator("li.item").filter(has_text="answered a friend")
        await expect(entry).to_contain_text("waiting for your confirmation")
        await entry.get_by_role("button", name="Confirm this entry").click()
        await expect(alex.get_by_text("Entry confirmed.")).to_be_visible()
        await expect(alex.locator("li.item").filter(has_text="answered a friend")).to_contain_text("confirmed")

        # the setback and mood forms are a link away, not behind the whole victory form
        await alex.get_by_role("link", name="A setback", exact=True).click()
        setback = alex.locator("form.entry-form").filter(has=alex.locator("input[name=kind][value=setback]"))
        await setback.get_by_label("What happened?").fill("Stayed in bed all morning")
        await setback.get_by_label("What helped, or what you'll try").fill("Opening the curtains")
        await setback.get_by_role("button", name="Save a setback").click()
        await expect(alex.get_by_text("Stayed in bed all morning")).to_be_visible()

        await alex.get_by_role("link", name="A mood check-in", exact=True).click()
        mood = alex.locator("form.entry-form").filter(has=alex.locator("input[name=kind][value=mood]"))
        await mood.get_by_label("4").check()
        await mood.get_by_role("button", name="Save a mood check-in").click()
        await expect(alex.get_by_text("Mood 4 of 5")).to_be_visible()

        await sam.reload()
        await sam.get_by_label("Propose the next step").select_option("member_keeps")
        await sam.get_by_role("button", name="Propose").click()
        await alex.reload()
        await expect(alex.locator("#handover")).to_contain_text("You keep your journal; Sam encourages")
        await alex.get_by_role("button", name="Accept this step").click()
        await expect(alex.locator("li.step").first).to_have_text("You accepted: you keep your journal; Sam encourages.")

        await alex.get_by_role("link", name="Progress").click()
        chart = alex.get_by_role("img", name=re.compile("Your mood, week by week"))
        await expect(chart).to_be_visible()
        await expect(alex.get_by_text("2 victories recorded so far")).to_be_visible()
        await alex.screenshot(path=str(settings.data_dir / "progress.png"), full_page=True)


async def test_helplines_for_a_crisis_entry_and_none_for_a_recovery_milestone(
    settings: Settings, system: object
) -> None:
    async with web_server(settings) as url, chromium() as browser:
        jo = await (await browser.new_context()).new_page()
        await sign_up(jo, url, "Jo")
        await jo.goto(f"{url}/journal")
        await record_victory(jo, "One year today without self-harm. I used to cut every week; now I call my sister.")
        await expect(jo.get_by_role("alert")).to_have_count(0)
        await record_victory(jo, "I got up, but honestly I can't go on like this and I want to end my life.")
        alert = jo.get_by_role("alert")
        await expect(alert).to_contain_text("988")
        await expect(alert).to_contain_text("only you")
        await record_victory(jo, "I used to think about suicide a lot, but today marks a year without those thoughts.")
        await expect(jo.get_by_role("alert")).to_have_count(0)
