"""In Chromium, at a phone's width: from the settings page to the page that says what erasing
takes, the password again, goodbye; signing in meanwhile, the offer to keep the account, and
keeping it. axe-core finds nothing on these pages; screenshots at 1280 and 390 px."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.async_api import expect

from shared.settings import Settings
from tests.e2e.browser import chromium, screenshots_dir, shoot, web_server
from tests.e2e.test_browser_a11y import violations
from tests.e2e.test_browser_journal import fill_sign_in
from tests.e2e.test_browser_stories import member

pytestmark = pytest.mark.e2e


async def test_erasing_an_account_and_keeping_it_on_a_phone(settings: Settings, system: object, tmp_path: Path) -> None:
    shots = screenshots_dir(tmp_path)
    async with web_server(settings) as url, chromium() as browser:
        page = await member(browser, url, "Fern", phone=True)
        await page.goto(f"{url}/settings")
        leave = page.get_by_role("region", name="Leave Small Wins")
        await leave.get_by_role("link", name="Erase my account").click()
        await expect(page.get_by_role("heading", name="Erase your account", level=1)).to_be_visible()
        await expect(page.get_by_text("shown as written by “a former supporter”")).to_be_visible()
        await expect(page.get_by_role("link", name="everything (zip)")).to_have_attribute("href", "/export.zip")
        assert await violations(page) == []
        await shoot(page, shots, "erase-page")

        await page.get_by_label("Your password").fill("not my password")
        await page.get_by_role("button", name="Erase my account").click()
        await expect(page.locator("#error-summary")).to_be_focused()
        await expect(page.get_by_label("Your password")).to_have_attribute("aria-invalid", "true")
        await page.get_by_label("Your password").fill("one step at a time")
        await page.get_by_role("button", name="Erase my account").click()
        await expect(page.get_by_role("heading", name="Goodbye for now")).to_be_visible()
        assert await violations(page) == []
        await shoot(page, shots, "erase-goodbye")

        await page.goto(f"{url}/signin")
        await fill_sign_in(page, "Fern")
        await expect(page.get_by_role("heading", name="Your account is set to be erased")).to_be_visible()
        assert await violations(page) == []
        await shoot(page, shots, "erase-locked-signin")
        await page.get_by_role("button", name="Keep my account").click()
        await expect(page.get_by_text("Your account is yours again")).to_be_visible()
        await expect(page.get_by_role("heading", name="Settings")).to_be_visible()
