"""Each web process keeps feed pages for a few seconds; what changes the feed shows at once in the
process that made the change, and in every other process as soon as the stories event reaches it."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from shared.bus.connection import connect
from shared.bus.rpc import ServiceClient
from shared.contracts.accounts import GrantRoleRequest, MemberView
from shared.settings import Settings
from shared.testing.plugin import eventually
from smallwins.servers import operator
from web.app import create_app

pytestmark = pytest.mark.e2e
PASSWORD = "long enough password"


async def _join(client: AsyncTestClient, name: str) -> dict[str, str]:  # type: ignore[type-arg]
    email = f"{name.lower()}@example.org"
    assert (
        await client.post("/api/members", json={"pseudonym": name, "email": email, "password": PASSWORD})
    ).status_code == 201
    token = (await client.post("/api/sessions", json={"email": email, "password": PASSWORD})).json()["token"]
    return {"Authorization": f"Bearer {token}"}


async def _titles(client: AsyncTestClient, auth: dict[str, str]) -> list[str]:  # type: ignore[type-arg]
    response = await client.get("/api/stories/", headers=auth)
    assert response.status_code == 200, response.text
    return [item["title"] for item in response.json()["items"]]


async def test_a_change_reaches_the_feed_of_every_web_process(settings: Settings, system: object) -> None:
    async with AsyncTestClient(app=create_app(settings)) as a, AsyncTestClient(app=create_app(settings)) as b:
        ana, stan, mo = await _join(a, "Ana"), await _join(a, "Stan"), await _join(a, "Mo")
        nc = await connect(settings.servers()[1], name="test")
        await ServiceClient(nc, settings.nats_prefix).call(
            "accounts", "grant_role", GrantRoleRequest(pseudonym="Mo", role="moderator"), MemberView, actor=operator()
        )
        await nc.close()
        mo = {"Authorization": mo["Authorization"]}
        ids: dict[str, Any] = {}
        for title, warnings in (("Grief and a garden", ["grief"]), ("First run", []), ("Back at work", [])):
            body = {"title": title, "body": f"{title}: how it went.", "warnings": warnings}
            ids[title] = (await a.post("/api/stories/", json=body, headers=ana)).json()["id"]
        for story in ids.values():
            decision = await a.post(f"/api/moderation/items/{story}/decision", json={"action": "approve"}, headers=mo)
            assert decision.status_code == 200, decision.text

        everything = ["Back at work", "First run", "Grief and a garden"]
        assert await _titles(a, stan) == everything
        assert await _titles(b, stan) == everything  # both processes now keep this page

        withdrawn = await a.post(f"/api/posts/{ids['First run']}/withdraw", headers=ana)
        assert withdrawn.status_code == 200, withdrawn.text
        assert await _titles(a, stan) == ["Back at work", "Grief and a garden"]  # at once where it was done

        async def b_drops_it() -> bool:
            return await _titles(b, stan) == ["Back at work", "Grief and a garden"]

        await eventually(b_drops_it, timeout=5)

        prefs = await a.put("/api/stories/preferences", json={"hide": ["grief"], "blur": []}, headers=stan)
        assert prefs.status_code == 200, prefs.text
        assert await _titles(a, stan) == ["Back at work"]
        assert await _titles(a, ana) == ["Back at work", "Grief and a garden"]  # Stan's choice is Stan's alone

        async def b_hides_grief_for_stan() -> bool:
            return await _titles(b, stan) == ["Back at work"]

        await eventually(b_hides_grief_for_stan, timeout=5)
        assert await _titles(b, ana) == ["Back at work", "Grief and a garden"]

        removal = {"action": "remove", "reason": "off-topic", "guidance": "Keep it about recovery"}
        removed = await b.post(f"/api/moderation/items/{ids['Back at work']}/decision", json=removal, headers=mo)
        assert removed.status_code == 200, removed.text

        async def a_drops_the_removed_story() -> bool:
            return await _titles(a, ana) == ["Grief and a garden"]

        await eventually(a_drops_the_removed_story, timeout=5)
        assert (await a.get("/api/stories/")).status_code == 401  # visitors still read nothing here
