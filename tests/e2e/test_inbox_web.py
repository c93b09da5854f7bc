"""Through web: a story encouraged shows in its author's badge and inbox page; someone else's
item cannot be marked read over the API."""

from __future__ import annotations

import re

import pytest
from litestar.testing import AsyncTestClient

from shared.settings import Settings
from shared.testing.plugin import eventually
from tests.e2e.helpers import api_members, post_form
from web.app import create_app

pytestmark = pytest.mark.e2e


async def test_an_encouraged_story_shows_in_the_badge_and_the_inbox(settings: Settings, system: object) -> None:
    async with AsyncTestClient(app=create_app(settings)) as client:
        tokens = await api_members(client, settings, ("Ana", "Mo", "Bo"), moderators=("Mo",))

        def auth(name: str) -> dict[str, str]:
            return {"Authorization": f"Bearer {tokens[name]}"}

        item = (await client.post("/api/stories/", json={"title": "Tea", "body": "Tea."}, headers=auth("Ana"))).json()
        decided = await client.post(
            f"/api/moderation/items/{item['id']}/decision", json={"action": "approve"}, headers=auth("Mo")
        )
        assert decided.status_code == 200
        cheer = await client.post(
            f"/api/stories/{item['id']}/encouragement", json={"kind": "proud"}, headers=auth("Bo")
        )
        assert cheer.status_code == 201

        async def cheered() -> bool:
            page = (await client.get("/api/inbox/", headers=auth("Ana"))).json()
            return any(i["title"] == "Bo is proud of your story" for i in page["items"])

        await eventually(cheered)
        client.cookies.set("sw_session", tokens["Ana"])
        home = await client.get("/")
        badge = re.search(r'id="unread-badge">(\d+)', home.text)
        unread = (await client.get("/api/inbox/unread", headers=auth("Ana"))).json()["count"]
        assert badge is not None and int(badge.group(1)) == unread >= 2  # welcome, approved, encouraged
        page = await client.get("/inbox")
        assert page.status_code == 200 and "Bo is proud of your story" in page.text
        assert f'href="/stories/{item["id"]}"' in page.text

        items = (await client.get("/api/inbox/", headers=auth("Ana"))).json()["items"]
        theirs = await client.post(f"/api/inbox/{items[0]['id']}/read", headers=auth("Bo"))
        assert theirs.status_code == 404 and theirs.headers["content-type"].startswith("application/problem+json")
        done = await post_form(client, "/inbox/read-all", {}, page="/inbox")
        assert done.status_code in (302, 303)
        assert (await client.get("/api/inbox/unread", headers=auth("Ana"))).json()["count"] == 0
        assert 'id="unread-badge"' not in (await client.get("/inbox")).text
