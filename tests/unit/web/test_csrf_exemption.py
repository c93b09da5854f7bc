"""The CSRF exemption covers the JSON API and the other form-less routes by their first path
segment only: a page whose path merely contains ``/api`` still needs its form token."""

from __future__ import annotations

import pytest
from litestar import Litestar, post
from litestar.testing import AsyncTestClient

from shared.settings import Settings
from web.security import csrf_config, is_api

pytestmark = pytest.mark.unit

PATHS = ["/api", "/api/members", "/apixyz", "/x/api", "/x/api/y", "/healthy", "/metrics", "/metricsx", "/schema/x"]


def _done() -> str:
    return "done"


def _app() -> Litestar:
    handlers = [post(path, sync_to_thread=False, name=path)(_done) for path in PATHS]
    return Litestar(route_handlers=handlers, csrf_config=csrf_config(Settings(secret_key="k" * 32)))


async def test_only_the_exempt_prefixes_skip_the_form_token() -> None:
    async with AsyncTestClient(app=_app()) as client:
        got = {path: (await client.post(path)).status_code for path in PATHS}
    assert got == {
        "/api": 201,
        "/api/members": 201,
        "/apixyz": 403,
        "/x/api": 403,
        "/x/api/y": 403,
        "/healthy": 403,
        "/metrics": 201,
        "/metricsx": 403,
        "/schema/x": 201,
    }


@pytest.mark.parametrize(
    ("path", "api"), [("/api", True), ("/api/", True), ("/api/x", True), ("/apix", False), ("/x/api", False)]
)
def test_what_counts_as_the_api(path: str, api: bool) -> None:
    assert is_api(path) is api
