"""In Chromium: the strict Content-Security-Policy breaks nothing, a double-clicked save stores one
entry, and the API reference and error pages read well on a desktop and a phone. Screenshots go
to ``SMALLWINS_SCREENSHOTS`` (default: the test's temporary folder), for people to look at."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.async_api import expect

from shared.settings import Settings
from tests.e2e.browser import chromium, web_server
from tests.e2e.helpers import count
from tests.e2e.test_browser_journal import sign_up

pytestmark = pytest.mark.e2e
SIZES = {"desktop": (1280, 900), "phone": (390, 844)}


async def test_strict_policy_double_click_and_pages(settings: Settings, system: object, tmp_path: Path) -> None:
    shots = Path(os.environ.get("SMALLWINS_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    async with web_server(settings) as url, chromium() as browser:
        context = await browser.new_context()
        page = await context.new_page()
        refused: list[str] = []
        page.on("console", lambda msg: refused.append(msg.text) if "Content Security Policy" in msg.text else None)
        await sign_up(page, url, "Robin")
        assert any(c["name"] == "tz" for c in await context.cookies())  # our own script ran under the policy
        await page.goto(f"{url}/journal")
        form = page.locator("form.entry-form").filter(has=page.locator("input[name=kind][value=victory]"))
        await form.get_by_label("What went well?").fill("Went for a walk")
        await form.get_by_role("button", name="Save a small win").dblclick()
        await expect(page.get_by_text("Went for a walk")).to_be_visible()
        assert await count(settings.database_url or "", "SELECT count(*) FROM journal.entries") == 1
        for name, (width, height) in SIZES.items():
            await page.set_viewport_size({"width": width, "height": height})
            await page.goto(f"{url}/schema")
            await expect(page.get_by_role("heading", name="Small Wins API")).to_be_visible()
            assert await page.evaluate("document.documentElement.scrollWidth") <= width
            await page.screenshot(path=str(shots / f"api-reference-{name}.png"))
            await page.goto(f"{url}/journal/entries/00000000-0000-0000-0000-000000000001/edit")
            await expect(page.get_by_role("heading", name="We couldn't find that")).to_be_visible()
            await page.screenshot(path=str(shots / f"not-found-{name}.png"))
        assert refused == []
