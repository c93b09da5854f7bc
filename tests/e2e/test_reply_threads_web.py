"""Replies to replies through web: the JSON API takes ``in_reply_to`` and shows it, refusals are
truthful and store nothing; the story page offers "Reply" under a reply, pre-fills the form
without JavaScript, and labels the answer."""

from __future__ import annotations

import html
import re
from uuid import uuid4

import pytest
from litestar.testing import AsyncTestClient

from shared.settings import Settings
from tests.e2e.helpers import api_members, count, post_form
from web.app import create_app

pytestmark = pytest.mark.e2e


def hidden_parent(page: str) -> str | None:
    found = re.search(r'name="in_reply_to" value="([^"]+)"', page)
    return found.group(1) if found else None


async def test_an_answer_over_the_api_and_on_the_story_page(settings: Settings, system: object) -> None:
    db = settings.database_url or ""
    async with AsyncTestClient(app=create_app(settings)) as client:
        tokens = await api_members(client, settings, ("Ana", "Bo", "Cy", "Mo"), moderators=("Mo",))
        auth = {name: {"Authorization": f"Bearer {token}"} for name, token in tokens.items()}

        async def approve(item: str) -> None:
            done = await client.post(
                f"/api/moderation/items/{item}/decision", json={"action": "approve"}, headers=auth["Mo"]
            )
            assert done.status_code == 200

        story = (await client.post("/api/stories/", json={"title": "Tea", "body": "Tea."}, headers=auth["Ana"])).json()
        await approve(story["id"])
        replies = f"/api/stories/{story['id']}/replies"
        bos = (await client.post(replies, json={"body": "So proud of you"}, headers=auth["Bo"])).json()["id"]
        await approve(bos)
        answer = await client.post(replies, json={"body": "Me too, Bo", "in_reply_to": bos}, headers=auth["Cy"])
        assert answer.status_code == 201
        await approve(answer.json()["id"])
        listed = (await client.get(f"/api/stories/{story['id']}", headers=auth["Ana"])).json()["replies"]
        assert [(r["pseudonym"], r["in_reply_to"], r["in_reply_to_pseudonym"]) for r in listed] == [
            ("Bo", None, ""), ("Cy", bos, "Bo"),
        ]  # fmt: skip

        before = await count(db, "SELECT count(*) FROM stories.posts WHERE kind = 'reply'")
        missing = await client.post(replies, json={"body": "Hi", "in_reply_to": str(uuid4())}, headers=auth["Cy"])
        assert missing.status_code == 404
        itself = await client.post(replies, json={"body": "Hi", "in_reply_to": story["id"]}, headers=auth["Cy"])
        assert itself.status_code == 422 and itself.json()["errors"][0]["field"] == "in_reply_to"
        assert await count(db, "SELECT count(*) FROM stories.posts WHERE kind = 'reply'") == before

        client.cookies.set("sw_session", tokens["Cy"])
        path = f"/stories/{story['id']}"
        page = (await client.get(path)).text
        assert f'href="{path}?reply_to={bos}#reply"' in page  # a plain link: works without JavaScript
        assert "In reply to" in page and f'href="#reply-{bos}">Bo</a>' in page
        assert hidden_parent(page) is None and "Write a supportive reply" in page
        answering = (await client.get(f"{path}?reply_to={bos}")).text
        assert hidden_parent(answering) == bos
        assert "Replying to" in answering and "Your reply to Bo" in answering and "So proud of you" in answering
        assert f'href="{path}#reply-form">Cancel' in answering
        assert hidden_parent((await client.get(f"{path}?reply_to=not-an-id")).text) is None

        sent = await post_form(client, f"{path}/replies", {"body": "Bo, thank you", "in_reply_to": bos}, page=path)
        assert sent.status_code == 302
        mine = (await client.get(path)).text
        assert html.escape("Bo, thank you") in mine and mine.count("In reply to") == 2

        gone = str(uuid4())
        refused = await post_form(client, f"{path}/replies", {"body": "Kept words", "in_reply_to": gone}, page=path)
        assert refused.status_code == 409 and "Kept words" in refused.text
        assert "wasn&#39;t sent" in refused.text and hidden_parent(refused.text) is None
        assert await count(db, "SELECT count(*) FROM stories.posts WHERE kind = 'reply'") == before + 1
