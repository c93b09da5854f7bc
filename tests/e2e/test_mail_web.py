"""Mail through the web edge, with every service running and a real SMTP server: sign-up that
tells nobody whether an address is taken, a forgotten password, and the settings page."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from litestar.testing import AsyncTestClient

from shared.settings import Settings
from shared.testing.plugin import MailBox, eventually
from tests.e2e.helpers import CSRF_RE, post_form
from web.app import create_app
from web.observability import loggable_path

pytestmark = pytest.mark.e2e

ROBIN = {"pseudonym": "Robin", "email": "robin@example.org", "password": "a long enough password"}


@pytest_asyncio.fixture
async def client(settings: Settings, system: object) -> AsyncIterator[AsyncTestClient]:  # type: ignore[type-arg]
    async with AsyncTestClient(app=create_app(settings)) as c:
        yield c


async def _mail(box: MailBox, address: str, subject: str) -> str:
    """The text of the newest message to ``address`` with ``subject``, once it has arrived."""

    async def arrived() -> str:
        found = [m for m in box.to(address) if m["Subject"] == subject]
        return box.text(found[-1]) if found else ""

    return await eventually(arrived, timeout=15)


def _token(text: str, path: str) -> str:
    found = re.search(re.escape(path) + r"([A-Za-z0-9_\-]+)", text)
    assert found, text
    return found.group(1)


def _without(page: str, *values: str) -> str:
    for value in values:
        page = page.replace(value, "…")
    return CSRF_RE.sub("…", page)


async def _confirmed_member(client: AsyncTestClient, box: MailBox) -> None:  # type: ignore[type-arg]
    await post_form(client, "/signup", ROBIN)
    text = await _mail(box, ROBIN["email"], "Please confirm your e-mail address")
    token = _token(text, "/confirm/")
    assert "Confirm my address" in (await client.get(f"/confirm/{token}")).text  # a button, nothing used up yet
    done = await post_form(client, f"/confirm/{token}", {})
    assert done.status_code == 200 and "Your address is confirmed" in done.text
    again = await post_form(client, f"/confirm/{token}", {})
    assert again.status_code == 404 and "doesn&#39;t work any more" in again.text


async def _sign_in(client: AsyncTestClient, password: str = ROBIN["password"]) -> int:  # type: ignore[type-arg]
    return (await post_form(client, "/signin", {"email": ROBIN["email"], "password": password})).status_code


async def test_sign_up_with_a_taken_address_looks_the_same_and_tells_its_owner(
    client: AsyncTestClient,
    sw_mail: MailBox,  # type: ignore[type-arg]
) -> None:
    await _confirmed_member(client, sw_mail)
    new = {"pseudonym": "Fern", "email": "fern@example.org", "password": "another long password"}
    taken = {"pseudonym": "Bo", "email": ROBIN["email"], "password": "another long password"}
    first, second = await post_form(client, "/signup", new), await post_form(client, "/signup", taken)
    assert first.status_code == second.status_code == 200
    assert first.headers.get("set-cookie") is None and second.headers.get("set-cookie") is None
    assert _without(first.text, "fern@example.org") == _without(second.text, ROBIN["email"])
    note = await _mail(sw_mail, ROBIN["email"], "Someone tried to use your e-mail address")
    assert "sign up" in note and "/forgot-password" in note


async def test_forgot_password_answers_the_same_and_its_link_works_once(
    client: AsyncTestClient,
    sw_mail: MailBox,
    settings: Settings,  # type: ignore[type-arg]
) -> None:
    await _confirmed_member(client, sw_mail)
    known = await post_form(client, "/forgot-password", {"email": ROBIN["email"]})
    unknown = await post_form(client, "/forgot-password", {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 200
    assert _without(known.text, ROBIN["email"]) == _without(unknown.text, "nobody@example.org")
    assert "If an account has this address" in known.text
    token = _token(await _mail(sw_mail, ROBIN["email"], "A link to choose a new password"), "/reset-password/")
    assert loggable_path(f"/reset-password/{token}") == "/reset-password/[redacted]"

    tampered = token[:-3] + ("xyz" if not token.endswith("xyz") else "abc")
    gone = await client.get(f"/reset-password/{tampered}")
    assert gone.status_code == 404 and "This link doesn&#39;t work any more" in gone.text
    assert "Nothing was changed" in gone.text
    short = await post_form(client, f"/reset-password/{token}", {"new_password": "short"})
    assert short.status_code == 422 and 'id="new_password-error"' in short.text
    done = await post_form(client, f"/reset-password/{token}", {"new_password": "my brand new password"})
    assert done.status_code == 200 and "Your password is changed" in done.text
    reused = await post_form(
        client, f"/reset-password/{token}", {"new_password": "yet another password"}, page="/signin"
    )
    assert reused.status_code == 404
    assert await _sign_in(client) == 401 and await _sign_in(client, "my brand new password") in (302, 303)


async def test_settings_change_password_time_zone_and_address_with_notices(
    client: AsyncTestClient,
    sw_mail: MailBox,  # type: ignore[type-arg]
) -> None:
    await _confirmed_member(client, sw_mail)
    assert await _sign_in(client) in (302, 303)
    page = await client.get("/settings")
    assert page.status_code == 200 and ROBIN["email"] in page.text and "It's confirmed" in page.text
    wrong = await post_form(
        client,
        "/settings/password",
        {"current_password": "not my password", "new_password": "x" * 12},
        page="/settings",
    )
    assert wrong.status_code == 422 and "That isn&#39;t your current password" in wrong.text
    zone = await post_form(client, "/settings/time-zone", {"time_zone": "Mars/Olympus"}, page="/settings")
    assert zone.status_code == 422 and "Please choose a time zone from the list" in zone.text
    assert await _sign_in(client) in (302, 303)  # nothing changed
    saved = await post_form(client, "/settings/time-zone", {"time_zone": "Europe/Berlin"}, page="/settings")
    assert saved.status_code in (302, 303)
    assert "<option selected>Europe/Berlin</option>" in (await client.get("/settings")).text

    changed = await post_form(
        client, "/settings/password",
        {"current_password": ROBIN["password"], "new_password": "a newer password"}, page="/settings",
    )  # fmt: skip
    assert changed.status_code in (302, 303)
    assert (await client.get("/settings")).status_code == 200  # this session stays
    await _mail(sw_mail, ROBIN["email"], "Your password was changed")

    moved = await post_form(
        client, "/settings/email", {"new_email": "robin@new.example", "current_password": "a newer password"},
        page="/settings",
    )  # fmt: skip
    assert moved.status_code in (302, 303)
    token = _token(await _mail(sw_mail, "robin@new.example", "Please confirm your new e-mail address"), "/confirm/")
    done = await post_form(client, f"/confirm/{token}", {})
    assert "Your address is changed" in done.text
    notice = await _mail(sw_mail, ROBIN["email"], "Your e-mail address was changed")
    assert "robin@new.example" in notice
    assert "robin@new.example" in (await client.get("/settings")).text


async def test_the_account_api(client: AsyncTestClient, sw_mail: MailBox) -> None:  # type: ignore[type-arg]
    assert (await client.post("/api/members", json=ROBIN)).status_code == 201
    token = (await client.post("/api/sessions", json={"email": ROBIN["email"], "password": ROBIN["password"]})).json()
    auth = {"Authorization": f"Bearer {token['token']}"}
    account = (await client.get("/api/account", headers=auth)).json()
    assert account["email"] == ROBIN["email"] and account["email_confirmed"] is False
    link = _token(await _mail(sw_mail, ROBIN["email"], "Please confirm your e-mail address"), "/confirm/")
    assert (await client.post("/api/account/confirm", json={"token": link})).json() == {"done": "confirmed"}
    assert (await client.post("/api/account/confirm", json={"token": link})).status_code == 404
    bad = await client.put("/api/account/time-zone", json={"time_zone": "Nowhere/Else"}, headers=auth)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "time_zone"
    good = await client.put("/api/account/time-zone", json={"time_zone": "America/New_York"}, headers=auth)
    assert good.status_code == 200 and good.json()["time_zone"] == "America/New_York"
    assert (await client.post("/api/account/password-reset", json={"email": "nobody@example.org"})).status_code == 202
    body = {"current_password": "wrong password!", "new_password": "x" * 12}
    refused = await client.post("/api/account/password", json=body, headers=auth)
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "current_password"
