"""A story revision names the version its author opened, over the API and on the edit page: a
stale one is a 409 that changes nothing, and the page says so and keeps what was typed."""

from __future__ import annotations

import re

import pytest
from litestar.testing import AsyncTestClient

from shared.settings import Settings
from tests.e2e.helpers import post_form
from web.app import create_app

pytestmark = pytest.mark.e2e


async def test_a_revision_from_an_older_version_is_a_conflict(settings: Settings, system: object) -> None:
    async with AsyncTestClient(app=create_app(settings)) as client:
        body = {"pseudonym": "Ana", "email": "ana@example.org", "password": "long enough password"}
        assert (await client.post("/api/members", json=body)).status_code == 201
        signin = {"email": body["email"], "password": body["password"]}
        token = (await client.post("/api/sessions", json=signin)).json()["token"]
        auth = {"Authorization": f"Bearer {token}"}
        item = (await client.post("/api/stories/", json={"title": "Tea", "body": "Tea."}, headers=auth)).json()["id"]
        opened = (await client.get(f"/api/stories/{item}", headers=auth)).json()
        assert opened["version"] == 1
        first = {"title": "Tea", "body": "Tea, twice.", "version": 1}
        assert (await client.put(f"/api/stories/{item}", json=first, headers=auth)).status_code == 200
        stale = await client.put(f"/api/stories/{item}", json={**first, "body": "Lost?"}, headers=auth)
        assert stale.status_code == 409
        assert (
            await client.put(f"/api/stories/{item}", json={"title": "T", "body": "B"}, headers=auth)
        ).status_code == 422

        client.cookies.set("sw_session", token)
        edit = await client.get(f"/stories/{item}/edit")
        assert re.search(r'name="version" value="2"', edit.text)
        form = {"title": "Tea", "body": "Typed on an old page.", "version": "1"}
        page = await post_form(client, f"/stories/{item}/edit", form)
        assert page.status_code == 409 and "This changed since you opened it" in page.text
        assert "Typed on an old page." in page.text and re.search(r'name="version" value="2"', page.text)
        assert (await client.get(f"/api/stories/{item}", headers=auth)).json()["body"] == "Tea, twice."
        again = await post_form(client, f"/stories/{item}/edit", {**form, "version": "2"})
        assert again.status_code == 302
