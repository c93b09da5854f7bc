"""In Chromium: a member has a page open; another member encourages their story; the header's
count appears without a reload and the inbox page says that something new arrived. The stream is
dropped; while it is away another encouragement comes; the page reconnects and shows it, once.
Screenshots at 1280 and 390 px go to ``SMALLWINS_SCREENSHOTS`` (default: the test's folder)."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from playwright.async_api import Request, expect

from shared.settings import Settings
from shared.testing.plugin import eventually
from tests.e2e.browser import chromium, screenshots_dir, shoot, web_server
from tests.e2e.test_browser_journal import sign_up
from tests.e2e.test_inbox_live import approved_story, bearer, encourage, members
from web.app import create_app
from web.pages import live

pytestmark = pytest.mark.e2e


async def test_the_badge_and_the_inbox_follow_new_notifications_live(
    settings: Settings, system: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shots = screenshots_dir(tmp_path)
    monkeypatch.setattr(live, "RETRY_MS", 3_000)  # the page stays away long enough to miss something
    app = create_app(settings)
    async with (
        web_server(settings, app) as url,
        chromium() as browser,
        httpx.AsyncClient(base_url=url, timeout=10) as api,
    ):
        page = await (await browser.new_context(viewport={"width": 1280, "height": 900})).new_page()
        streams: list[str] = []  # the Last-Event-ID each stream was opened with ("" for none)

        async def opened_stream(request: Request) -> None:
            if "/inbox/live" in request.url:
                streams.append((await request.all_headers()).get("last-event-id", ""))

        page.on("request", opened_stream)
        await sign_up(page, url, "Ana")
        signin = {"email": "ana@example.org", "password": "one step at a time"}
        ana = (await api.post("/api/sessions", json=signin)).json()["token"]
        t = await members(api, settings, "Mo", "Bo", "Cy")
        story = await approved_story(api, ana, t["Mo"])

        async def unread(count: int) -> bool:
            return bool((await api.get("/api/inbox/unread", headers=bearer(ana))).json()["count"] == count)

        await eventually(lambda: unread(2))  # welcome, approved
        await page.goto(f"{url}/inbox")
        await page.get_by_role("button", name="Mark all as read").click()
        await expect(page.get_by_role("heading", name="You're all caught up")).to_be_visible()
        badge = page.locator("#unread-badge")
        await expect(badge).to_have_count(0)
        await page.evaluate("window.stillThisPage = true")

        await encourage(api, story, t["Bo"])
        await expect(badge).to_have_text("1 unread")  # made, without a reload
        news = page.get_by_role("status")
        await expect(news).to_have_text("1 new notification arrived — show it")
        await expect(page.get_by_role("heading", name="1 new notification")).to_be_visible()
        await expect(page.get_by_text("Nothing new needs you")).to_be_hidden()
        assert await page.evaluate("window.stillThisPage") is True
        await shoot(page, shots, "inbox-live-badge")

        opened = len(streams)
        app.state.live.drop_all()  # the stream ends; the page comes back with its last event id
        await encourage(api, story, t["Cy"], kind="me-too")
        await eventually(lambda: unread(2))
        await expect(badge).to_have_text("2 unread", timeout=10_000)
        await expect(news).to_have_text("2 new notifications arrived — show them")
        assert streams[opened:] and streams[opened].isdigit()  # reconnected, saying where it got to
        assert await page.evaluate("window.stillThisPage") is True

        await news.get_by_role("link").click()
        items = page.locator(".inbox-item h3")
        await expect(items.filter(has_text="Bo is proud of your story")).to_have_count(1)
        await expect(items.filter(has_text="Cy said “me too” to your story")).to_have_count(1)
        await page.goto(f"{url}/journal")  # any page: the count is there on load, live or not
        await expect(badge).to_have_text("2 unread")
        await shoot(page, shots, "journal-live-badge")
