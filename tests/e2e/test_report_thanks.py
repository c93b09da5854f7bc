"""The reader whose report hides a story still gets the thank-you page, not a 404 (their own
report has just taken the story out of their view)."""

from __future__ import annotations

import pytest
from litestar.testing import AsyncTestClient

from shared.settings import Settings
from tests.e2e.helpers import api_members, post_form
from web.app import create_app

pytestmark = pytest.mark.e2e


async def test_the_reporter_whose_report_crosses_the_weight_is_thanked(settings: Settings) -> None:
    from smallwins.registry import SERVICES
    from tests.conftest import RunningServices

    light = settings.with_(stories_hide_weight=0.1)  # one brand-new account's report hides the story
    running = RunningServices(light, list(SERVICES.values()))
    running.start()
    try:
        async with AsyncTestClient(app=create_app(light)) as client:
            tokens = await api_members(client, light, ("Ana", "Mo", "Rae"), moderators=("Mo",))

            def auth(name: str) -> dict[str, str]:
                return {"Authorization": f"Bearer {tokens[name]}"}

            story = await client.post("/api/stories/", json={"title": "Tea", "body": "Tea."}, headers=auth("Ana"))
            item = story.json()["id"]
            decided = await client.post(
                f"/api/moderation/items/{item}/decision", json={"action": "approve"}, headers=auth("Mo")
            )
            assert decided.status_code == 200
            client.cookies.set("sw_session", tokens["Rae"])
            form = {"reason": "harmful", "story_id": item, "note": ""}
            sent = await post_form(client, f"/stories/items/{item}/report", form, page=f"/stories/{item}")
            assert (sent.status_code, sent.headers["location"]) == (302, "/stories/reported")
            thanks = await client.get(sent.headers["location"])
            assert thanks.status_code == 200 and "Thank you for telling us" in thanks.text
            assert (await client.get(f"/stories/{item}")).status_code == 404  # hidden until a moderator decides
            queue = (await client.get("/api/moderation/queue?only=reports", headers=auth("Mo"))).json()["items"]
            assert [(q["id"], q["hidden"]) for q in queue] == [(item, True)]
    finally:
        running.stop()
