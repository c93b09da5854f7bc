"""When services are down, people see a calm page, never a stack trace."""

from __future__ import annotations

import pytest
from litestar.testing import AsyncTestClient

from shared.settings import Settings
from tests.e2e.helpers import post_form
from web.app import create_app

pytestmark = pytest.mark.e2e


async def test_no_service_running_gives_friendly_page_problem_and_not_ready(settings: Settings) -> None:
    quick = settings.with_(request_timeout=0.5)
    async with AsyncTestClient(app=create_app(quick)) as client:
        page = await post_form(client, "/signin", {"email": "a@example.org", "password": "whatever123"})
        assert page.status_code == 503
        assert "nothing was changed" in page.text and "Traceback" not in page.text
        assert int(page.headers["retry-after"]) > 0
        api = await client.post("/api/sessions", json={"email": "a@example.org", "password": "whatever123"})
        assert api.status_code == 503 and api.json()["title"] == "Small Wins is having a moment"
        assert int(api.headers["retry-after"]) > 0
        ready = await client.get("/health/ready")
        assert ready.status_code == 503 and ready.json()["status"] == "not ready"
