"""Secrets never reach the logs: a journal's claim code is its link, and whoever reads it can take
the journal; the access log keeps the route and leaves the code out."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from litestar.testing import AsyncTestClient

from shared.settings import Settings
from shared.testing.plugin import eventually
from tests.e2e.helpers import count, post_form
from web.app import create_app
from web.observability import loggable_path

pytestmark = pytest.mark.e2e
SAM = {"pseudonym": "Sam", "email": "sam@example.org", "password": "a long enough password"}
ROBIN = {"pseudonym": "Robin", "email": "robin@example.org", "password": "a long enough password"}


@pytest_asyncio.fixture
async def client(settings: Settings, system: object) -> AsyncIterator[AsyncTestClient]:  # type: ignore[type-arg]
    async with AsyncTestClient(app=create_app(settings)) as c:
        yield c


def _logged(caplog: pytest.LogCaptureFixture) -> str:
    """Every record of web and the services as a log line would show it: the message and every
    field beside it (the test's own HTTP client, httpx, logs what it asked for)."""
    ours = [r for r in caplog.records if r.name.split(".")[0] not in {"httpx", "httpcore"}]
    return "\n".join(f"{r.getMessage()} {vars(r)}" for r in ours)


async def test_a_claim_code_never_reaches_the_access_log(
    client: AsyncTestClient,  # type: ignore[type-arg]
    settings: Settings,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    assert (await client.post("/api/members", json=SAM)).status_code == 201
    signin = {"email": SAM["email"], "password": SAM["password"]}
    auth = {"Authorization": f"Bearer {(await client.post('/api/sessions', json=signin)).json()['token']}"}

    async def known() -> bool:
        return await count(settings.database_url or "", "SELECT count(*) FROM journal.people") == 1

    await eventually(known)
    started = await client.post("/api/journal/start-for", json={"for_name": "Robin"}, headers=auth)
    assert started.status_code == 201
    code = started.json()["claim_code"]
    link = f"/journal/claim/{code}"

    opened = await client.get(link, follow_redirects=False)  # signed out: sign in first, then come back
    assert opened.status_code in (302, 303)
    assert (await post_form(client, "/signup", {**ROBIN, "next": link}, page="/signup")).status_code == 200
    signed_in = {"email": ROBIN["email"], "password": ROBIN["password"], "next": link}
    assert (await post_form(client, "/signin", signed_in, page="/signin")).status_code in (302, 303)
    assert (await client.get(link)).status_code == 200
    assert (await post_form(client, link, {})).headers["location"] == "/journal?done=claimed"
    assert (await client.get(f"{link}/more")).status_code in (404, 405)

    access = [r for r in caplog.records if r.name == "web.access"]
    assert [r.path for r in access if r.path.startswith("/journal/claim")] == ["/journal/claim/[redacted]"] * 4  # type: ignore[attr-defined]
    leaks = [line for line in _logged(caplog).splitlines() if code in line]
    assert leaks == [], leaks


@pytest.mark.parametrize(
    ("path", "logged"),
    [
        ("/journal/claim/abc-123", "/journal/claim/[redacted]"),
        ("/journal/claim/abc/def", "/journal/claim/[redacted]"),
        ("/journal/claims", "/journal/claims"),
        ("/journal", "/journal"),
        ("/x/journal/claim/abc", "/x/journal/claim/abc"),
    ],
)
def test_what_the_access_log_keeps_of_a_path(path: str, logged: str) -> None:
    assert loggable_path(path) == logged
