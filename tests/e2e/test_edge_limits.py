"""Rate limits at the edge, on a clock the test moves: sign-ups per client address, writes on /api
per client address and per signed-in member; a 429 with Retry-After and a problem body, nothing
stored, and the client's address taken from X-Forwarded-For only when a trusted proxy sent it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio
from litestar.testing import AsyncTestClient
from litestar.types import ASGIApp, Receive, Scope, Send

from shared.settings import Settings
from tests.e2e.helpers import count, post_form
from web.app import create_app

pytestmark = pytest.mark.e2e
PROXY, STRANGER = "10.0.0.1", "203.0.113.9"
WRITES = {"post", "put", "patch", "delete"}


class Clock:
    def __init__(self) -> None:
        self.now = 1_900_000_000.0

    def __call__(self) -> float:
        return self.now


class Network:
    """The app as reached from ``peer`` (the test client itself always says 'testclient')."""

    def __init__(self, app: ASGIApp) -> None:
        self.app, self.peer = app, STRANGER

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":  # type: ignore[comparison-overlap]
            scope["client"] = (self.peer, 40000)
        await self.app(scope, receive, send)


def _limited(response: Any, wait: int) -> None:
    assert response.status_code == 429, response.text[:300]
    assert int(response.headers["retry-after"]) == wait


def _problem(response: Any) -> dict[str, Any]:
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["status"] == 429
    return body


async def test_an_untrusted_peer_cannot_rotate_its_address_and_a_trusted_proxy_is_believed(settings: Settings) -> None:
    clock = Clock()
    limited = settings.with_(address_writes_per_minute=3, trusted_proxies=f"{PROXY}, 192.168.0.0/16")
    net = Network(create_app(limited, clock=clock))
    async with AsyncTestClient(app=net) as client:

        async def write(forwarded: str) -> Any:  # no token: each write is counted, then refused (401)
            body, headers = {"kind": "victory", "text": "a win"}, {"X-Forwarded-For": forwarded}
            return await client.post("/api/journal/entries", json=body, headers=headers)

        assert [(await write(f"198.51.100.{i}")).status_code for i in range(3)] == [401, 401, 401]
        refused = await write("198.51.100.99")
        _limited(refused, 60)
        assert "from your network" in _problem(refused)["detail"]
        clock.now += 45
        _limited(await write("198.51.100.100"), 15)
        clock.now += 15  # a new window
        assert (await write("198.51.100.101")).status_code == 401

        net.peer = PROXY  # behind our proxy, each client counts on its own
        assert [(await write("6.6.6.6, 198.51.100.7")).status_code for _ in range(3)] == [401, 401, 401]
        _limited(await write("7.7.7.7, 198.51.100.7, 192.168.1.1"), 60)  # the same client, via a second proxy
        assert (await write("198.51.100.8")).status_code == 401


@pytest_asyncio.fixture
async def clock() -> Clock:
    return Clock()


@pytest_asyncio.fixture
async def client(settings: Settings, system: object, clock: Clock) -> AsyncIterator[AsyncTestClient]:  # type: ignore[type-arg]
    limited = settings.with_(signups_per_hour=2, member_writes_per_minute=3, address_writes_per_minute=100)
    async with AsyncTestClient(app=create_app(limited, clock=clock)) as c:
        yield c


def _member(name: str) -> dict[str, str]:
    return {"pseudonym": name, "email": f"{name.lower()}@example.org", "password": "a long enough password"}


async def test_sign_ups_are_limited_per_address_on_the_api_and_the_page(
    client: AsyncTestClient,  # type: ignore[type-arg]
    settings: Settings,
    clock: Clock,
) -> None:
    assert (await client.post("/api/members", json=_member("Ana"))).status_code == 201
    assert (await post_form(client, "/signup", _member("Bo"))).status_code == 200  # "check your e-mail" (ADR 28)
    client.cookies.clear()
    refused = await client.post("/api/members", json=_member("Cy"))
    _limited(refused, 3600)
    assert "too many sign-ups" in _problem(refused)["detail"]
    page = await post_form(client, "/signup", _member("Cy"))
    assert page.status_code == 429 and "too many sign-ups" in page.text and int(page.headers["retry-after"]) == 3600
    assert await count(settings.database_url or "", "SELECT count(*) FROM accounts.members") == 2
    clock.now += 3600
    assert (await client.post("/api/members", json=_member("Cy"))).status_code == 201


async def test_writes_are_limited_per_member_and_another_member_writes_on(
    client: AsyncTestClient,  # type: ignore[type-arg]
    settings: Settings,
    clock: Clock,
) -> None:
    auth = {}
    for name in ("Ana", "Bo"):
        assert (await client.post("/api/members", json=_member(name))).status_code == 201
        signin = {"email": _member(name)["email"], "password": _member(name)["password"]}
        auth[name] = {"Authorization": f"Bearer {(await client.post('/api/sessions', json=signin)).json()['token']}"}

    async def entry(name: str) -> Any:
        return await client.post("/api/journal/entries", json={"kind": "victory", "text": "a win"}, headers=auth[name])

    assert [(await entry("Ana")).status_code for _ in range(3)] == [201, 201, 201]
    stored = await count(settings.database_url or "", "SELECT count(*) FROM journal.events")
    refused = await entry("Ana")
    _limited(refused, 60)
    assert "faster than we can take them" in _problem(refused)["detail"]
    _limited(await client.delete("/api/sessions/current", headers=auth["Ana"]), 60)  # every write counts
    assert (await client.get("/api/me", headers=auth["Ana"])).status_code == 200  # reading is not limited
    assert await count(settings.database_url or "", "SELECT count(*) FROM journal.events") == stored
    assert (await entry("Bo")).status_code == 201  # the same address, another member
    clock.now += 60
    assert (await entry("Ana")).status_code == 201


async def test_every_write_on_the_api_declares_the_429(settings: Settings) -> None:
    schema = create_app(settings).openapi_schema.to_schema()
    writes = [(path, op) for path, item in schema["paths"].items() for method, op in item.items() if method in WRITES]
    assert len(writes) > 20
    assert [path for path, op in writes if "429" not in op["responses"]] == []
    assert "Retry-After" in schema["paths"]["/api/members"]["post"]["responses"]["429"]["description"]
