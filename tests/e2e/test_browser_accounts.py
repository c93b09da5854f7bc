"""In a real browser: sign up, see the welcome, sign out."""

from __future__ import annotations

import pytest
from playwright.async_api import expect

from shared.settings import Settings
from tests.e2e.browser import chromium, web_server

pytestmark = pytest.mark.e2e


async def test_sign_up_see_welcome_and_sign_out_in_chromium(settings: Settings, system: object) -> None:
    async with web_server(settings) as url, chromium() as browser:
        page = await browser.new_page(viewport={"width": 390, "height": 844})  # a phone
        await page.goto(f"{url}/")
        await page.get_by_role("link", name="Join Small Wins").click()
        await page.get_by_label("Pseudonym").fill("Morning Walker")
        await page.get_by_label("E-mail").fill("walker@example.org")
        await page.get_by_label("Password").fill("one step at a time")
        await page.get_by_role("button", name="Create my account").click()
        await expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()  # ADR 28
        await page.get_by_label("Password").fill("one step at a time")
        await page.get_by_role("button", name="Sign in").click()
        await expect(page.get_by_role("heading", name="Hello, Morning Walker")).to_be_visible()
        await expect(page.get_by_text("Welcome to Small Wins", exact=True)).to_be_visible(timeout=10_000)
        await expect(page.get_by_role("link", name="More helplines")).to_be_visible()
        await page.get_by_role("button", name="Sign out").click()
        await expect(page.get_by_text("You've signed out")).to_be_visible()
        await page.goto(f"{url}/")
        await expect(page.get_by_role("heading", name="Recovery comes in small wins.")).to_be_visible()
