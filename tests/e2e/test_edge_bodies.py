"""Bodies the JSON decoder cannot read are the client's fault: a 400 with a problem body, before
anyone signs in, and never a 500."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from litestar.testing import AsyncTestClient

from shared.settings import Settings
from web.app import create_app

pytestmark = pytest.mark.e2e

NESTED = b"[" * 100_000 + b"]" * 100_000
NESTED_IN_A_FIELD = b'{"pseudonym": ' + b'{"a": ' * 50_000 + b"1" + b"}" * 50_000 + b"}"
NOT_UTF8 = b'{"pseudonym": "Fern \xff\xfe", "email": "fern@example.org", "password": "long enough password"}'
ROUTES = ["/api/members", "/api/sessions", "/api/journal/entries", "/api/stories/"]


@pytest_asyncio.fixture
async def client(settings: Settings) -> AsyncIterator[AsyncTestClient]:  # type: ignore[type-arg]
    # no service is running: each body is refused before anything would be asked of one
    async with AsyncTestClient(app=create_app(settings.with_(request_timeout=0.5))) as c:
        yield c


@pytest.mark.parametrize("path", ROUTES)
@pytest.mark.parametrize("body", [NESTED, NESTED_IN_A_FIELD, NOT_UTF8], ids=["nested", "nested-field", "not-utf8"])
async def test_an_unreadable_body_is_a_400_problem(client: AsyncTestClient, path: str, body: bytes) -> None:  # type: ignore[type-arg]
    response = await client.post(path, content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 400, response.text[:300]
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["status"] == 400 and "Nothing was changed" in problem["detail"]


async def test_malformed_json_is_still_litestars_400(client: AsyncTestClient) -> None:  # type: ignore[type-arg]
    response = await client.post(
        "/api/members", content=b'{"pseudonym": ', headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400 and response.json()["status"] == 400
