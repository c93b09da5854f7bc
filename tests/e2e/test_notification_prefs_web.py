"""Notification preferences through web: the API refuses bad input clearly and changes nothing;
a signed one-click unsubscribe link shows a button, works without signing in (also as the mail
client's own POST), and a changed link is refused with a clear page."""

from __future__ import annotations

from uuid import UUID

import pytest
from litestar.testing import AsyncTestClient

from services.notifications.links import signature
from shared.settings import Settings
from web.app import create_app

pytestmark = pytest.mark.e2e


async def test_preferences_api_and_one_click_unsubscribe(settings: Settings, system: object) -> None:
    async with AsyncTestClient(app=create_app(settings)) as client:
        body = {"pseudonym": "Ana", "email": "ana@example.org", "password": "long enough password"}
        member = UUID((await client.post("/api/members", json=body)).json()["id"])
        signin = {"email": body["email"], "password": body["password"]}
        auth = {"Authorization": f"Bearer {(await client.post('/api/sessions', json=signin)).json()['token']}"}
        prefs = (await client.get("/api/notifications/preferences", headers=auth)).json()
        assert prefs["channels"]["story_decision"] == "email" and prefs["reminder"] is False

        for bad in ({"channels": {"no_such_kind": "email"}}, {"reminder_time": "25:00"}, {"digest_hour": 24}):
            refused = await client.put("/api/notifications/preferences", json={**prefs, **bad}, headers=auth)
            assert refused.status_code in (400, 422), bad
            assert refused.json()["detail"]
        assert (await client.get("/api/notifications/preferences", headers=auth)).json() == prefs

        path = f"/unsubscribe/{member}/story_decision/{signature(settings.secret_key, member, 'story_decision')}"
        page = await client.get(path)
        assert page.status_code == 200 and "Unsubscribe" in page.text
        tampered = await client.post(
            path.replace("story_decision/", "invited/"), data={"List-Unsubscribe": "One-Click"}
        )
        assert tampered.status_code == 403 and "This link doesn" in tampered.text
        assert (await client.get("/api/notifications/preferences", headers=auth)).json() == prefs
        client.cookies.clear()
        done = await client.post(path, data={"List-Unsubscribe": "One-Click"})  # as a mail client sends it
        assert done.status_code == 200 and "unsubscribed" in done.text
        client.cookies.clear()
        now = (await client.get("/api/notifications/preferences", headers=auth)).json()
        assert now["channels"]["story_decision"] == "in_app"
