"""Notification preferences through web: the API refuses bad input clearly and changes nothing;
a signed one-click unsubscribe link shows a button, works without signing in (also as the mail
client's own POST), and a changed link is refused with a clear page."""

from __future__ import annotations

from uuid import UUID

import pytest
from litestar.testing import AsyncTestClient

from services.notifications.links import signature
from shared.contracts.notification_prefs import KINDS
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
        assert prefs["channels"]["approved"] == "email" and prefs["reminder"] is False
        assert set(prefs["channels"]) == set(KINDS)

        for bad in (
            {"channels": {"no_such_kind": "email"}}, {"channels": {"story_decision": "email"}},
            {"channels": {"removed": "off"}}, {"reminder_time": "25:00"}, {"digest_hour": 24},
        ):  # fmt: skip
            refused = await client.put("/api/notifications/preferences", json={**prefs, **bad}, headers=auth)
            assert refused.status_code in (400, 422), bad
            assert refused.json()["detail"]
            if "no_such_kind" in str(bad):
                assert "no_such_kind" in str(refused.json()), refused.json()
        chosen = {**prefs, "channels": {"reply_to_reply": "digest", "supporter_left": "off"}}
        kept = (await client.put("/api/notifications/preferences", json=chosen, headers=auth)).json()
        assert kept["channels"] == {**prefs["channels"], "reply_to_reply": "digest", "supporter_left": "off"}
        prefs = kept
        assert (await client.get("/api/notifications/preferences", headers=auth)).json() == prefs

        path = f"/unsubscribe/{member}/approved/{signature(settings.secret_key, member, 'approved')}"
        page = await client.get(path)
        assert page.status_code == 200 and "Unsubscribe" in page.text and "approval of your story" in page.text
        tampered = await client.post(path.replace("approved/", "invited/"), data={"List-Unsubscribe": "One-Click"})
        assert tampered.status_code == 403 and "This link doesn" in tampered.text
        assert (await client.get("/api/notifications/preferences", headers=auth)).json() == prefs
        client.cookies.clear()
        done = await client.post(path, data={"List-Unsubscribe": "One-Click"})  # as a mail client sends it
        assert done.status_code == 200 and "unsubscribed" in done.text
        client.cookies.clear()
        now = (await client.get("/api/notifications/preferences", headers=auth)).json()
        assert now["channels"] == {**prefs["channels"], "approved": "in_app"}
        old = f"/unsubscribe/{member}/supporters/{signature(settings.secret_key, member, 'supporters', 'topics')}"
        await client.put(
            "/api/notifications/preferences", json={**now, "channels": {"supporter_joined": "email"}}, headers=auth
        )
        client.cookies.clear()
        assert (
            "unsubscribed" in (await client.post(old, data={"List-Unsubscribe": "One-Click"})).text
        )  # a link from before kinds
        client.cookies.clear()
        now = (await client.get("/api/notifications/preferences", headers=auth)).json()
        assert now["channels"]["supporter_joined"] == "in_app" and now["channels"]["supporter_left"] == "off"
