"""Bad input on the journal's API routes: a clear problem body, and nothing stored."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio
from litestar.testing import AsyncTestClient

from shared.settings import Settings
from shared.testing.plugin import eventually
from tests.e2e.helpers import count
from web.app import create_app

pytestmark = pytest.mark.e2e
FUTURE = (dt.datetime.now(dt.UTC) + dt.timedelta(days=3)).date().isoformat()


class Api:
    def __init__(self, client: AsyncTestClient, token: str) -> None:  # type: ignore[type-arg]
        self.client, self.headers = client, {"Authorization": f"Bearer {token}"}

    async def __call__(self, method: str, path: str, body: Any = None) -> Any:
        return await self.client.request(method, path, json=body, headers=self.headers)


@pytest_asyncio.fixture
async def api(settings: Settings, system: object) -> AsyncIterator[Api]:
    async with AsyncTestClient(app=create_app(settings)) as client:
        member = {"pseudonym": "Robin", "email": "robin@example.org", "password": "long enough password"}
        await client.post("/api/members", json=member)
        token = (
            await client.post("/api/sessions", json={"email": member["email"], "password": member["password"]})
        ).json()["token"]

        async def known() -> bool:
            return await count(settings.database_url or "", "SELECT count(*) FROM journal.people") == 1

        await eventually(known)
        yield Api(client, token)


BAD: list[tuple[str, str, Any, int, str]] = [
    ("POST", "/api/journal/entries", {"kind": "victory", "text": ""}, 422, "text"),
    ("POST", "/api/journal/entries", {"kind": "victory", "text": "x" * 2001}, 422, "text"),
    ("POST", "/api/journal/entries", {"kind": "mood", "mood": 0}, 422, "mood"),
    ("POST", "/api/journal/entries", {"kind": "mood", "mood": 6}, 422, "mood"),
    ("POST", "/api/journal/entries", {"kind": "victory", "text": "ok", "occurred_on": FUTURE}, 422, "occurred_on"),
    ("POST", "/api/journal/entries", {"kind": "victory", "text": "ok", "themes": ["astrology"]}, 422, "themes"),
    ("POST", "/api/journal/entries", {"kind": "victory", "text": "ok", "occurred_on": "soon"}, 422, ""),
    ("POST", "/api/journal/entries", {"text": "no kind"}, 422, ""),
    ("POST", "/api/journal/supporters", {"pseudonym": "Nobody Here", "role": "keeper"}, 422, "pseudonym"),
    ("POST", "/api/journal/supporters", {"pseudonym": "Robin", "role": "keeper"}, 422, "pseudonym"),
    ("POST", "/api/journal/start-for", {"for_name": " "}, 422, "for_name"),
    ("POST", "/api/journal/claim", {"code": "not-a-code"}, 404, ""),
    ("POST", "/api/journal/stage", {"stage": "someday"}, 422, ""),
    ("GET", "/api/journal/entries/00000000-0000-0000-0000-000000000001", None, 404, ""),
    ("POST", "/api/journal/entries/00000000-0000-0000-0000-000000000001/notes", {"text": "hi"}, 404, ""),
    ("POST", "/api/journal/observations/00000000-0000-0000-0000-000000000001", {"resolution": "accepted"}, 404, ""),
]


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "field"), BAD, ids=[f"{m} {p} {b}"[:80] for m, p, b, _, _ in BAD]
)
async def test_bad_input_is_refused_clearly_and_stores_nothing(
    api: Api, settings: Settings, method: str, path: str, body: Any, status: int, field: str
) -> None:
    response = await api(method, path, body)
    assert response.status_code == status, response.text
    problem = response.json()
    assert response.headers["content-type"].startswith("application/problem+json")
    assert problem["detail"] and problem["status"] == status
    if field:
        assert field in {e["field"] for e in problem["errors"]}
    assert await count(settings.database_url or "", "SELECT count(*) FROM journal.events") == 0


async def test_note_and_edit_refusals_on_a_real_entry(api: Api, settings: Settings) -> None:
    saved = (await api("POST", "/api/journal/entries", {"kind": "victory", "text": "made tea"})).json()
    events = await count(settings.database_url or "", "SELECT count(*) FROM journal.events")
    path = f"/api/journal/entries/{saved['id']}"
    assert (await api("POST", f"{path}/notes", {"text": "  "})).status_code == 422
    assert (await api("POST", f"{path}/notes", {"text": "x" * 1001})).status_code == 422
    assert (await api("PUT", path, {"kind": "victory", "text": "", "version": 1})).status_code == 422
    assert (
        await api("PUT", path, {"kind": "victory", "text": "ok", "version": 1, "occurred_on": FUTURE})
    ).status_code == 422
    assert await count(settings.database_url or "", "SELECT count(*) FROM journal.events") == events
    assert (await api("PUT", path, {"kind": "victory", "text": "made green tea", "version": 1})).status_code == 200
    stale = await api("PUT", path, {"kind": "victory", "text": "made mint tea", "version": 1})
    assert stale.status_code == 409 and "Please reload" in stale.json()["detail"]
    assert (await api("GET", path)).json()["text"] == "made green tea"
