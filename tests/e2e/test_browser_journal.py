"""In Chromium: a supporter keeps a journal for a friend, who takes it over step by step."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import Page, expect

from shared.settings import Settings
from tests.e2e.browser import chromium, web_server

pytestmark = pytest.mark.e2e


async def sign_up(page: Page, url: str, name: str) -> None:
    await page.goto(f"{url}/signup")
    await page.get_by_label("Pseudonym").fill(name)
    await page.get_by_label("E-mail").fill(f"{name.lower()}@example.org")
    await page.get_by_label("Password").fill("one step at a time")
    await page.get_by_role("button", name="Create my account").click()
    await expect(page.get_by_role("heading", name=f"Hello, {name}")).to_be_visible()


async def record_victory(page: Page, text: str) -> None:
    form = page.locator("form.entry-form").filter(has=page.locator("input[name=kind][value=victory]"))
    await form.get_by_label("What went well?").fill(text)
    await form.get_by_label("Me and my supporters").check()
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
        await record_victory(sam, "Alex answered a friend's message")
        await sam.get_by_label("Propose a handover stage").select_option("member_keeps")
        await sam.get_by_role("button", name="Propose").click()

        alex = await (await browser.new_context(viewport={"width": 390, "height": 844})).new_page()
        await sign_up(alex, url, "Alex")
        await alex.goto(claim_link)
        await alex.get_by_role("button", name="Take over my journal").click()
        await expect(alex.get_by_role("heading", name="Your journal")).to_be_visible()
        await expect(alex.get_by_text("Alex made breakfast")).to_be_visible()
        await expect(alex.get_by_text("Written by Sam for you").first).to_be_visible()

        entry = alex.locator("li.item").filter(has_text="Alex made breakfast")
        await entry.get_by_role("button", name="Confirm this entry").click()
        await expect(alex.locator("li.item").filter(has_text="Alex made breakfast")).to_contain_text("confirmed")
        await expect(alex.locator("li.item").filter(has_text="answered a friend")).to_contain_text(
            "waiting for confirmation"
        )

        await alex.get_by_text("A setback", exact=True).click()
        setback = alex.locator("form.entry-form").filter(has=alex.locator("input[name=kind][value=setback]"))
        await setback.get_by_label("What happened?").fill("Stayed in bed all morning")
        await setback.get_by_label("What helped, or what you'll try").fill("Opening the curtains")
        await setback.get_by_role("button", name="Save a setback").click()
        await expect(alex.get_by_text("Stayed in bed all morning")).to_be_visible()

        await alex.get_by_text("A mood check-in", exact=True).click()
        mood = alex.locator("form.entry-form").filter(has=alex.locator("input[name=kind][value=mood]"))
        await mood.get_by_label("4").check()
        await mood.get_by_role("button", name="Save a mood check-in").click()
        await expect(alex.get_by_text("Mood 4 of 5")).to_be_visible()

        await expect(alex.get_by_text("Member keeps the journal, supporters encourage")).to_be_visible()
        await alex.get_by_role("button", name="Accept this stage").click()
        await expect(alex.get_by_text(re.compile("Handover stage now: member keeps"))).to_be_visible()

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
