"""In Chromium: the settings page's notifications section, and a notification mail (HTML and
text), at a desktop and a phone width."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from playwright.async_api import expect

from services.notifications.jobs import TEMPLATES
from shared.mail import MailTemplates
from shared.settings import Settings
from tests.e2e.browser import chromium, screenshots_dir, shoot, web_server

pytestmark = pytest.mark.e2e


async def test_notification_settings_and_a_notification_mail_in_chromium(
    settings: Settings, system: object, tmp_path: Path
) -> None:
    shots = screenshots_dir(tmp_path)
    async with web_server(settings) as url, chromium() as browser:
        page = await browser.new_page()
        await page.goto(f"{url}/signup")
        await page.get_by_label("Pseudonym").fill("Quiet Reader")
        await page.get_by_label("E-mail").fill("quiet@example.org")
        await page.get_by_label("Password").fill("one step at a time")
        await page.get_by_role("button", name="Create my account").click()
        await page.get_by_label("Password").fill("one step at a time")
        await page.get_by_role("button", name="Sign in").click()
        await page.goto(f"{url}/settings#notifications")
        section = page.get_by_role("region", name="Notifications")
        for heading in ("Your stories", "From the moderators", "Journals and supporters"):
            await expect(section.get_by_role("group", name=heading)).to_be_visible()
        approval = section.get_by_label("Approval of your story or reply")
        await expect(approval.locator("option")).to_have_text(["In the app", "By e-mail", "In a daily e-mail"])
        await section.get_by_label("Encouragement on your story").select_option("digest")
        await section.get_by_label("Replies to your replies").select_option("email")
        await section.get_by_label("A supporter stepping back").select_option("off")
        await section.get_by_label("Send me a reminder").check()
        await section.get_by_role("button", name="Save my notification settings").click()
        await expect(page.get_by_text("Your notification settings are saved.")).to_be_visible()
        await expect(section.get_by_label("Encouragement on your story")).to_have_value("digest")
        await expect(section.get_by_label("Replies to your replies")).to_have_value("email")
        await expect(section.get_by_label("Replies to your story")).to_have_value("in_app")
        await expect(section.get_by_label("A supporter stepping back")).to_have_value("off")
        await expect(section.get_by_label("A supporter joining")).to_have_value("in_app")
        await shoot(page, shots, "settings-notifications")
        for width in (1280, 390):  # the section alone, to read at full size
            await page.set_viewport_size({"width": width, "height": 900})
            await section.screenshot(path=str(shots / f"settings-notifications-section-{width}.png"))

        mail = MailTemplates(TEMPLATES).render(
            "item", pseudonym="Quiet Reader", title="Your story was approved",
            body="It's in the feed now. Thank you for sharing it.", inbox_url=f"{url}/inbox",
            journal_url=f"{url}/journal", unsubscribe_url=f"{url}/unsubscribe/…",
        )  # fmt: skip
        reader = await browser.new_page()
        await reader.set_content(mail.html)
        await shoot(reader, shots, "mail-notification-html")
        text = f"<pre style='white-space:pre-wrap;overflow-wrap:anywhere;font:15px monospace'>{html.escape(mail.text)}</pre>"
        await reader.set_content(text)
        await shoot(reader, shots, "mail-notification-text")
        digest = MailTemplates(TEMPLATES).render(
            "digest", pseudonym="Quiet Reader", items=[{"title": "Ana and Bo are proud of your story"},
            {"title": "Your reply was approved"}], more=False, chosen=True, kept_back=True,
            inbox_url=f"{url}/inbox", journal_url=f"{url}/journal", unsubscribe_url=f"{url}/unsubscribe/…",
        )  # fmt: skip
        await reader.set_content(digest.html)
        await expect(reader.get_by_text("You'd already had the day's e-mails")).to_be_visible()
        await shoot(reader, shots, "mail-digest-html")
