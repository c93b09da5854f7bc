"""In Chromium: the forgot-password and settings pages at a desktop and a phone width, and a mail
as a member would see it (its HTML, and its text beside it)."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from playwright.async_api import expect

from shared.settings import Settings
from shared.testing.plugin import MailBox, eventually
from tests.e2e.browser import chromium, screenshots_dir, shoot, web_server

pytestmark = pytest.mark.e2e


async def test_forgot_password_settings_and_a_mail_in_chromium(
    settings: Settings, system: object, sw_mail: MailBox, tmp_path: Path
) -> None:
    shots = screenshots_dir(tmp_path)
    async with web_server(settings) as url, chromium() as browser:
        page = await browser.new_page()
        await page.goto(f"{url}/signup")
        await page.get_by_label("Pseudonym").fill("Morning Walker")
        await page.get_by_label("E-mail").fill("walker@example.org")
        await page.get_by_label("Password").fill("one step at a time")
        await page.get_by_role("button", name="Create my account").click()
        await expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()
        await shoot(page, shots, "check-email")
        await page.get_by_label("Password").fill("one step at a time")
        await page.get_by_role("button", name="Sign in").click()

        await page.goto(f"{url}/settings")
        password = page.get_by_role("region", name="Password")
        await password.get_by_label("Current password").fill("not my password")
        await password.get_by_label("New password").fill("a longer password")
        await password.get_by_role("button", name="Change my password").click()
        await expect(page.get_by_text("That isn't your current password").first).to_be_visible()
        await shoot(page, shots, "settings-refused")
        await page.get_by_label("Your time zone").select_option("Europe/Berlin")
        await page.get_by_role("button", name="Save my time zone").click()
        await expect(page.get_by_text("Your time zone is saved.")).to_be_visible()
        await shoot(page, shots, "settings")

        await page.get_by_role("button", name="Sign out").click()
        await page.goto(f"{url}/forgot-password")
        await shoot(page, shots, "forgot-password")
        await page.get_by_label("E-mail").fill("walker@example.org")
        await page.get_by_role("button", name="Send me a link").click()
        await expect(page.get_by_text("If an account has this address")).to_be_visible()
        await shoot(page, shots, "forgot-password-sent")

        async def confirmation() -> str:
            found = sw_mail.to("walker@example.org")
            return found[0].get_body(preferencelist=("html",)).get_content() if found else ""  # type: ignore[union-attr]

        mail_html = await eventually(confirmation, timeout=15)
        text = sw_mail.text(sw_mail.to("walker@example.org")[0])
        reader = await browser.new_page()  # a page of its own: the app's CSP would drop the mail's inline styles
        await reader.set_content(mail_html)
        await shoot(reader, shots, "mail-confirm-html")
        await reader.set_content(
            f"<pre style='white-space:pre-wrap;overflow-wrap:anywhere;font:15px monospace'>{html.escape(text)}</pre>"
        )
        await shoot(reader, shots, "mail-confirm-text")
