"""Sign-up, sign-in and sign-out through the web edge, with every service running."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from litestar.testing import AsyncTestClient

from shared.settings import Settings
from shared.testing.plugin import eventually
from tests.e2e.helpers import count, post_form, stored
from web.app import create_app

pytestmark = pytest.mark.e2e

GOOD = {"pseudonym": "Quiet Fern", "email": "fern@example.org", "password": "a long enough password"}


@pytest_asyncio.fixture
async def client(settings: Settings, system: object) -> AsyncIterator[AsyncTestClient]:  # type: ignore[type-arg]
    async with AsyncTestClient(app=create_app(settings)) as c:
        yield c


async def test_sign_up_see_welcome_sign_out_and_sign_in_again(client: AsyncTestClient) -> None:  # type: ignore[type-arg]
    signed_up = await post_form(client, "/signup", GOOD)  # sign-up ends on "check your e-mail" (ADR 28)
    assert signed_up.status_code == 200 and "Check your e-mail" in signed_up.text
    response = await post_form(client, "/signin", {"email": GOOD["email"], "password": GOOD["password"]})
    assert response.status_code in (302, 303) and response.headers["location"] == "/"
    cookie = response.headers["set-cookie"]
    assert "sw_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie

    async def welcome_shown() -> bool:
        return "Welcome to Small Wins<" in (await client.get("/")).text  # the note; it names nobody (ADR 37)

    await eventually(welcome_shown)
    response = await post_form(client, "/signout", {}, page="/")
    assert response.headers["location"].startswith("/signin")
    home = await client.get("/")
    assert "Recovery comes in small wins" in home.text and "Quiet Fern" not in home.text

    response = await post_form(client, "/signin", {"email": "FERN@example.org ", "password": GOOD["password"]})
    assert response.status_code in (302, 303)
    assert "Hello, <bdi>Quiet Fern</bdi>" in (await client.get("/")).text


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        ({**GOOD, "pseudonym": ""}, "pseudonym", "at least 2 characters"),
        ({**GOOD, "pseudonym": "x" * 33}, "pseudonym", "32 characters or fewer"),
        ({**GOOD, "email": "fern.example.org"}, "email", "doesn&#39;t look like an e-mail"),
        ({**GOOD, "password": "short"}, "password", "at least 10 characters"),
    ],
)
async def test_bad_sign_up_shows_the_problem_on_the_form_and_stores_nothing(
    client: AsyncTestClient,
    settings: Settings,
    form: dict[str, str],
    field: str,
    message: str,  # type: ignore[type-arg]
) -> None:
    response = await post_form(client, "/signup", form)
    assert response.status_code == 422
    assert message in response.text
    assert f'id="{field}-error"' in response.text and 'aria-invalid="true"' in response.text
    assert 'value="a long enough password"' not in response.text  # passwords are never echoed
    assert await stored(settings.database_url or "") == (0, 0, 0)


async def test_taken_pseudonym_is_a_conflict_and_a_taken_email_is_not_told(
    client: AsyncTestClient,
    settings: Settings,  # type: ignore[type-arg]
) -> None:
    """A pseudonym is public, so a taken one is said; whether an address has an account is not
    (ADR 28: the visitor gets the answer a new address gets, the owner a note)."""
    assert (await client.post("/api/members", json=GOOD)).status_code == 201
    before = await stored(settings.database_url or "")
    response = await post_form(client, "/signup", {**GOOD, "email": "other@example.org", "pseudonym": "quiet  FERN"})
    assert response.status_code == 409 and "Someone already uses this pseudonym" in response.text
    api = await client.post("/api/members", json={**GOOD, "pseudonym": "Someone Else"})
    assert api.status_code == 201 and set(api.json()) == {"id", "pseudonym", "roles"}
    assert api.json()["pseudonym"] == "Someone Else"
    assert await stored(settings.database_url or "") == before


async def test_api_sign_up_with_bad_input_gets_a_problem_body_and_stores_nothing(
    client: AsyncTestClient,
    settings: Settings,  # type: ignore[type-arg]
) -> None:
    response = await client.post("/api/members", json={"pseudonym": " ", "email": "nope", "password": "123"})
    assert response.status_code == 422
    body = response.json()
    assert body["status"] == 422 and {e["field"] for e in body["errors"]} == {"pseudonym", "email", "password"}
    missing = await client.post("/api/members", json={"pseudonym": "Ok Name"})
    assert missing.status_code == 422 and missing.headers["content-type"].startswith("application/problem+json")
    assert await stored(settings.database_url or "") == (0, 0, 0)


async def test_wrong_password_does_not_reveal_whether_the_email_exists(client: AsyncTestClient) -> None:  # type: ignore[type-arg]
    await client.post("/api/members", json=GOOD)
    wrong = await client.post("/api/sessions", json={"email": GOOD["email"], "password": "not the password"})
    unknown = await client.post("/api/sessions", json={"email": "nobody@example.org", "password": "not the password"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()
    form_wrong = await post_form(client, "/signin", {"email": GOOD["email"], "password": "nope nope nope"})
    form_unknown = await post_form(client, "/signin", {"email": "nobody@example.org", "password": "nope nope nope"})
    assert form_wrong.status_code == form_unknown.status_code == 401
    assert "don&#39;t match an account" in form_wrong.text and "don&#39;t match an account" in form_unknown.text


async def test_repeated_failures_are_slowed_down_even_with_the_right_password(client: AsyncTestClient) -> None:  # type: ignore[type-arg]
    await client.post("/api/members", json=GOOD)
    statuses = [
        (await client.post("/api/sessions", json={"email": GOOD["email"], "password": f"wrong {i}"})).status_code
        for i in range(6)
    ]
    assert statuses[:5] == [401] * 5 and statuses[5] == 429
    locked = await client.post("/api/sessions", json={"email": GOOD["email"], "password": GOOD["password"]})
    assert locked.status_code == 429 and int(locked.headers["retry-after"]) > 0
    assert "Too many sign-in attempts" in locked.json()["detail"]
    form = await post_form(client, "/signin", {"email": GOOD["email"], "password": GOOD["password"]})
    assert form.status_code == 429 and "Too many sign-in attempts" in form.text


async def test_form_post_without_csrf_token_is_refused_and_stores_nothing(
    client: AsyncTestClient,
    settings: Settings,  # type: ignore[type-arg]
) -> None:
    await client.get("/signup")  # has the CSRF cookie, but the form omits the token
    response = await client.post("/signup", data=GOOD, follow_redirects=False)
    assert response.status_code == 403
    assert "This form has expired" in response.text
    assert await stored(settings.database_url or "") == (0, 0, 0)


async def test_api_session_lifecycle_and_notifications(client: AsyncTestClient) -> None:  # type: ignore[type-arg]
    created = await client.post("/api/members", json=GOOD)
    assert created.json()["pseudonym"] == "Quiet Fern" and created.json()["roles"] == ["member"]
    session = (await client.post("/api/sessions", json={"email": GOOD["email"], "password": GOOD["password"]})).json()
    auth = {"Authorization": f"Bearer {session['token']}"}
    assert (await client.get("/api/me", headers=auth)).json()["pseudonym"] == "Quiet Fern"

    async def welcome() -> list[dict[str, str]]:
        return list((await client.get("/api/notifications", headers=auth)).json())

    items = await eventually(welcome)
    assert [i["kind"] for i in items] == ["welcome"]
    assert (await client.delete("/api/sessions/current", headers=auth)).status_code == 204
    assert (await client.delete("/api/sessions/current", headers=auth)).status_code == 204  # idempotent
    assert (await client.get("/api/me", headers=auth)).status_code == 401
    assert (await client.get("/api/me")).status_code == 401


async def test_correlation_id_travels_from_http_into_the_events(client: AsyncTestClient, settings: Settings) -> None:  # type: ignore[type-arg]
    response = await client.post("/api/members", json=GOOD, headers={"X-Request-ID": "abcdef1234567890"})
    assert response.headers["x-request-id"] == "abcdef1234567890"
    sql = "SELECT count(*) FROM accounts.events WHERE metadata->>'correlation_id' = 'abcdef1234567890'"
    assert await count(settings.database_url or "", sql) == 1

    async def welcome_carries_it() -> bool:
        sql = (  # the welcome note itself (the inbox's live ping beside it carries the id too)
            "SELECT count(*) FROM notifications.events WHERE metadata->>'correlation_id' = 'abcdef1234567890'"
            " AND event_type = 'notifications.notification_created.v1'"
        )
        return await count(settings.database_url or "", sql) == 1

    await eventually(welcome_carries_it)


async def test_openapi_health_help_and_crisis_link_on_every_page(client: AsyncTestClient) -> None:  # type: ignore[type-arg]
    schema = (await client.get("/schema/openapi.json")).json()
    assert {"/api/members", "/api/sessions", "/api/me"} <= set(schema["paths"])
    assert (await client.get("/health/live")).status_code == 200
    ready = await client.get("/health/ready")
    assert ready.status_code == 200, ready.text
    for path in ("/", "/signin", "/signup", "/help"):
        page = await client.get(path)
        assert 'href="/help"' in page.text and "988" in page.text, path
    assert "Samaritans" in (await client.get("/help")).text
