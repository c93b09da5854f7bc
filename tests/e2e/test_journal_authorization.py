"""Who may see and do what in a member's journal, over every journal API route and page.

Robin owns the journal. Enzo encourages, Kai keeps, Rey was removed, Stan is a stranger and
Mo is a moderator. Anyone without access gets 404: they learn nothing, not even that it exists.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio
from litestar.testing import AsyncTestClient

from shared.bus.connection import connect
from shared.bus.rpc import ServiceClient
from shared.contracts.accounts import GrantRoleRequest, MemberView
from shared.settings import Settings
from shared.testing.plugin import eventually
from smallwins.servers import operator
from tests.e2e.helpers import count, csrf_token
from web.app import create_app

pytestmark = pytest.mark.e2e
# The owner acts last in each row, so that what others try is tried against the same state.
ACTORS = ("keeper", "encourager", "revoked", "stranger", "moderator", "owner")
NAMES = {
    "owner": "Robin",
    "encourager": "Enzo",
    "keeper": "Kai",
    "revoked": "Rey",
    "stranger": "Stan",
    "moderator": "Mo",
}


class World:
    def __init__(self, client: AsyncTestClient) -> None:  # type: ignore[type-arg]
        self.client = client
        self.tokens: dict[str, str] = {}
        self.ids: dict[str, str] = {}

    async def api(self, actor: str, method: str, path: str, body: Any = None) -> Any:
        headers = {"Authorization": f"Bearer {self.tokens[actor]}"}
        return await self.client.request(method, path.format(**self.ids), json=body, headers=headers)

    async def ok(self, actor: str, method: str, path: str, body: Any = None) -> Any:
        response = await self.api(actor, method, path, body)
        assert response.status_code < 300, response.text
        return response.json() if response.content else None


@pytest_asyncio.fixture
async def world(settings: Settings, system: object) -> AsyncIterator[World]:
    async with AsyncTestClient(app=create_app(settings)) as client:
        w = World(client)
        for actor, name in NAMES.items():
            email = f"{name.lower()}@example.org"
            await client.post(
                "/api/members", json={"pseudonym": name, "email": email, "password": "long enough password"}
            )
            session = (
                await client.post("/api/sessions", json={"email": email, "password": "long enough password"})
            ).json()
            w.tokens[actor], w.ids[actor] = session["token"], session["member"]["id"]
        nc = await connect(settings.servers()[1], name="test")
        await ServiceClient(nc, settings.nats_prefix).call(
            "accounts", "grant_role", GrantRoleRequest(pseudonym="Mo", role="moderator"), MemberView, actor=operator()
        )
        await nc.close()
        await eventually(lambda: _people_known(settings))

        w.ids["private"] = (
            await w.ok("owner", "POST", "/api/journal/entries", {"kind": "victory", "text": "private win"})
        )["id"]
        shared = {"kind": "victory", "text": "shared win", "visibility": "supporters"}
        w.ids["shared"] = (await w.ok("owner", "POST", "/api/journal/entries", shared))["id"]
        w.ids["journal"] = (await w.ok("owner", "GET", "/api/journal/view"))["journal_id"]
        for actor, role in (("encourager", "encourager"), ("keeper", "keeper"), ("revoked", "encourager")):
            await w.ok("owner", "POST", "/api/journal/supporters", {"pseudonym": NAMES[actor], "role": role})
            await w.ok(actor, "POST", "/api/journal/invitations/{journal}", {"accept": True})
        await w.ok("owner", "DELETE", "/api/journal/supporters/{revoked}")
        await w.ok("owner", "POST", "/api/journal/stage", {"stage": "kept_together"})
        yield w


async def _people_known(settings: Settings) -> bool:
    return await count(settings.database_url or "", "SELECT count(*) FROM journal.people") == len(NAMES)


def _expect(**by_actor: int) -> dict[str, int]:
    """Unlisted actors (revoked, stranger, moderator) get 404."""
    return {actor: by_actor.get(actor, 404) for actor in ACTORS}


API_MATRIX: list[tuple[str, str, Any, dict[str, int]]] = [
    ("GET", "/api/journal/?journal_id={journal}", None, _expect(owner=200, encourager=200, keeper=200)),
    ("GET", "/api/journal/entries/{private}", None, _expect(owner=200)),
    ("GET", "/api/journal/entries/{shared}", None, _expect(owner=200, encourager=200, keeper=200)),
    ("GET", "/api/journal/progress?journal_id={journal}", None, _expect(owner=200, encourager=200, keeper=200)),
    ("GET", "/api/journal/observations?journal_id={journal}", None, _expect(owner=200, encourager=200, keeper=200)),
    ("GET", "/api/journal/view?journal_id={journal}", None, _expect(owner=200, encourager=200, keeper=200)),
    (
        "POST",
        "/api/journal/entries",
        {"kind": "victory", "text": "for Robin", "journal_id": "{journal}"},
        _expect(owner=201, encourager=403, keeper=201),
    ),
    (
        "PUT",
        "/api/journal/entries/{shared}",
        {"kind": "victory", "text": "changed", "version": 1, "visibility": "supporters"},
        _expect(owner=200, encourager=403, keeper=403),
    ),
    ("PUT", "/api/journal/entries/{private}", {"kind": "victory", "text": "changed", "version": 1}, _expect(owner=200)),
    (
        "POST",
        "/api/journal/entries/{shared}/notes",
        {"text": "proud of you"},
        _expect(owner=201, encourager=201, keeper=201),
    ),
    ("POST", "/api/journal/entries/{private}/notes", {"text": "peek"}, _expect(owner=201)),
    ("POST", "/api/journal/entries/{shared}/confirm", None, _expect(owner=409, encourager=403, keeper=403)),
    (
        "POST",
        "/api/journal/observations",
        {"journal_id": "{journal}", "text": "you went out"},
        _expect(owner=403, encourager=201, keeper=201),
    ),
    (
        "POST",
        "/api/journal/stage",
        {"journal_id": "{journal}", "stage": "supporter_keeps"},
        _expect(owner=201, encourager=403, keeper=201),
    ),
    ("DELETE", "/api/journal/entries/{private}", None, _expect(owner=204)),
]


@pytest.mark.parametrize(
    ("method", "path", "body", "expected"), API_MATRIX, ids=[f"{m} {p}" for m, p, _, _ in API_MATRIX]
)
async def test_api_routes(world: World, method: str, path: str, body: Any, expected: dict[str, int]) -> None:
    if isinstance(body, dict):
        body = {k: v.format(**world.ids) if isinstance(v, str) else v for k, v in body.items()}
    got = {}
    for actor in ACTORS:
        response = await world.api(actor, method, path, body)
        got[actor] = response.status_code
        if response.status_code == 404:
            assert "private win" not in response.text and "shared win" not in response.text
    assert got == expected


async def test_what_each_one_reads_in_the_timeline(world: World) -> None:
    async def texts(actor: str) -> list[str]:
        view = (await world.api(actor, "GET", "/api/journal/?journal_id={journal}")).json()
        return sorted(i["entry"]["text"] for i in view["items"] if i["entry"])

    assert await texts("owner") == ["private win", "shared win"]
    assert await texts("encourager") == ["shared win"]
    assert await texts("keeper") == ["shared win"]
    for outsider in ("revoked", "stranger", "moderator"):
        own = (await world.api(outsider, "GET", "/api/journal/")).json()  # their own, empty journal
        assert own["items"] == [] and own["journal"]["journal_id"] != world.ids["journal"]
        export = (await world.api(outsider, "GET", "/api/journal/export")).json()
        assert export["entries"] == []


PAGES = [
    ("/journals/{journal}", _expect(owner=200, encourager=200, keeper=200)),
    ("/journals/{journal}/progress", _expect(owner=200, encourager=200, keeper=200)),
    ("/journal/entries/{private}/edit", _expect(owner=200)),
]


@pytest.mark.parametrize(("path", "expected"), PAGES, ids=[p for p, _ in PAGES])
async def test_pages(world: World, settings: Settings, path: str, expected: dict[str, int]) -> None:
    got = {}
    for actor in ACTORS:
        async with AsyncTestClient(app=create_app(settings)) as browser:
            browser.cookies.set("sw_session", world.tokens[actor])
            page = await browser.get(path.format(**world.ids))
            got[actor] = page.status_code
            if page.status_code == 404:
                assert "private win" not in page.text and "shared win" not in page.text
    assert got == expected


async def test_page_forms_refuse_what_the_api_refuses(world: World, settings: Settings) -> None:
    async with AsyncTestClient(app=create_app(settings)) as browser:
        browser.cookies.set("sw_session", world.tokens["encourager"])
        token = await csrf_token(browser, "/journals/{journal}".format(**world.ids))
        write = await browser.post(
            "/journals/{journal}/entries".format(**world.ids),
            data={"kind": "victory", "text": "x", "_csrf_token": token},
        )
        assert write.status_code == 403
    async with AsyncTestClient(app=create_app(settings)) as browser:
        browser.cookies.set("sw_session", world.tokens["stranger"])
        token = await csrf_token(browser, "/journal")
        peek = await browser.post(
            "/journal/entries/{shared}/note".format(**world.ids),
            data={"text": "hi", "_csrf_token": token, "back": "/journal"},
        )
        assert peek.status_code == 404
