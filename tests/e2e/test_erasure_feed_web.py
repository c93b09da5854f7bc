"""Through web, against its caches: a member who leaves leaves the feed, the Atom feed and the story
pages at once; and before they leave, their download holds every part of their data."""

from __future__ import annotations

import csv
import io
import json
import uuid
import zipfile
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from shared.settings import Settings
from shared.testing.plugin import eventually
from tests.e2e.helpers import api_members, post_form
from tests.support.member_erased import erase
from web.app import create_app

pytestmark = pytest.mark.e2e
Client = AsyncTestClient  # type: ignore[type-arg]
MARK = "Zqx"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The operator opened the feed to visitors, with its Atom feed."""
    return settings.with_(stories_public=True)


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json() if response.text else None


async def _story(client: Client, author: str, mod: str, title: str, body: str) -> str:
    posted = await _ok(
        await client.post("/api/stories/", json={"title": title, "body": body}, headers=_auth(author)), 201
    )
    await _approve(client, mod, posted["id"])
    return str(posted["id"])


async def _approve(client: Client, mod: str, item: str) -> None:
    decision = {"action": "approve"}
    await _ok(await client.post(f"/api/moderation/items/{item}/decision", json=decision, headers=_auth(mod)))


async def _reply(client: Client, who: str, mod: str, story: str, body: str) -> str:
    reply = await _ok(await client.post(f"/api/stories/{story}/replies", json={"body": body}, headers=_auth(who)), 201)
    await _approve(client, mod, reply["id"])
    return str(reply["id"])


async def _member_id(client: Client, token: str) -> uuid.UUID:
    return uuid.UUID((await _ok(await client.get("/api/me", headers=_auth(token))))["id"])


async def test_their_posts_leave_the_feed_the_atom_feed_and_story_pages_at_once(
    settings: Settings, system: object
) -> None:
    async with AsyncTestClient(app=create_app(settings)) as web:
        tokens = await api_members(web, settings, (f"{MARK}-Moss", "Ana", "Bo", "Mo"), moderators=("Mo",))
        gone, ana, bo, mo = tokens[f"{MARK}-Moss"], tokens["Ana"], tokens["Bo"], tokens["Mo"]
        theirs = await _story(web, gone, mo, f"{MARK} first light", "I opened the curtains today.")
        anas = await _story(web, ana, mo, "Ana walks", "Around the lake, twice.")
        await _reply(web, gone, mo, anas, f"{MARK} is proud of you")
        await _reply(web, bo, mo, anas, "Bo is proud of you too")

        async def shown() -> dict[str, str]:
            feed = await web.get("/api/stories/", headers=_auth(bo))
            return {
                "api feed": feed.text, "feed page": (await web.get("/stories")).text,
                "atom feed": (await web.get("/stories/feed.atom")).text,
                "their story": (await web.get(f"/stories/{theirs}")).text,
                "ana's story": (await web.get(f"/stories/{anas}", headers=_auth(bo))).text,
            }  # fmt: skip

        before = await shown()  # and now kept in web's feed cache
        assert all(MARK in page for page in before.values()), before
        assert f"{MARK} first light" in (await web.get("/stories")).text  # from the cache

        await erase(settings.database_url or "", await _member_id(web, gone))

        async def gone_everywhere() -> bool:
            return all(MARK not in page for page in (await shown()).values())

        await eventually(gone_everywhere, timeout=5)  # well within the ten seconds a page is kept
        after = await shown()
        assert (
            "Ana walks" in after["api feed"] and "Ana walks" in after["feed page"] and "Ana walks" in after["atom feed"]
        )
        assert "Bo is proud of you too" in after["ana's story"]
        missing = await web.get(f"/stories/{theirs}")
        assert missing.status_code == 404 and "crisis" in missing.text.lower()  # the calm page, with help at hand
        assert (await web.get(f"/api/stories/{theirs}", headers=_auth(bo))).status_code == 404


async def _sign_in(client: Client, name: str) -> None:
    form = {"email": f"{name.lower()}@example.org", "password": "long enough password"}
    assert (await post_form(client, "/signin", form, page="/signin")).status_code in (302, 303)


async def test_the_download_holds_every_part_of_their_data_and_nobody_elses(settings: Settings, system: object) -> None:
    async with AsyncTestClient(app=create_app(settings)) as web:
        tokens = await api_members(web, settings, ("Robin", "Ana", "Mo"), moderators=("Mo",))
        robin, ana, mo = tokens["Robin"], tokens["Ana"], tokens["Mo"]
        await _ok(
            await web.post("/api/journal/entries", json={"kind": "victory", "text": "=Walked"}, headers=_auth(robin)),
            201,
        )
        story = await _ok(
            await web.post("/api/stories/", json={"title": "First", "body": "Out of bed."}, headers=_auth(robin)), 201
        )
        change = {"action": "request_changes", "reason": "missing-warning", "guidance": "Add one, please"}
        await _ok(await web.post(f"/api/moderation/items/{story['id']}/decision", json=change, headers=_auth(mo)))
        mine = await _ok(await web.get(f"/api/stories/{story['id']}", headers=_auth(robin)))
        revised = {
            "title": "First, again",
            "body": "Out of bed, twice.",
            "warnings": ["grief"],
            "version": mine["version"],
        }
        await _ok(await web.put(f"/api/stories/{story['id']}", json=revised, headers=_auth(robin)))
        await _approve(web, mo, story["id"])
        anas = await _story(web, ana, mo, "Ana walks", "Around the lake.")
        await _reply(web, robin, mo, anas, "So glad for you")
        await _ok(
            await web.post(f"/api/stories/{anas}/encouragement", json={"kind": "proud"}, headers=_auth(robin)), 201
        )
        other = await _story(web, ana, mo, "Ana sings", "In the choir.")
        report = {"reason": "unkind", "note": "It made me sad"}
        await _ok(await web.post(f"/api/posts/{other}/reports", json=report, headers=_auth(robin)), 201)
        await _ok(
            await web.put(
                "/api/stories/preferences", json={"hide": ["suicide"], "blur": ["grief"]}, headers=_auth(robin)
            )
        )

        await _sign_in(web, "Robin")
        download = await web.get("/export.zip")
        assert download.status_code == 200 and download.headers["content-type"] == "application/zip"
        assert (
            download.headers["cache-control"] == "no-store" and "attachment" in download.headers["content-disposition"]
        )
        files = zipfile.ZipFile(io.BytesIO(download.content))
        names = set(files.namelist())
        assert {"README.txt", "journal/journal.json", "journal/entries.csv", "stories/stories.json"} <= names
        assert {
            f"stories/{t}.csv" for t in ("stories", "story-versions", "replies", "encouragement-given", "reports-made")
        } <= names
        part = json.loads(files.read("stories/stories.json"))
        (told,) = part["stories"]
        assert [(v["version"], v["title"], v["warnings"]) for v in told["versions"]] == [
            (1, "First", []), (2, "First, again", ["grief"])
        ]  # fmt: skip
        assert told["status"] == "published" and told["warnings"] == ["grief"]
        assert [(r["story_id"], r["body"]) for r in part["replies"]] == [(anas, "So glad for you")]
        assert [(e["story_id"], e["kind"]) for e in part["encouragement"]] == [(anas, "proud")]
        assert part["encouragement"][0]["given_at"]
        assert [(r["item_id"], r["reason"], r["note"]) for r in part["reports"]] == [
            (other, "unkind", "It made me sad")
        ]
        assert part["warnings"] == {"hide": ["suicide"], "blur": ["grief"], "chosen": True}
        versions = list(csv.DictReader(io.StringIO(files.read("stories/story-versions.csv").decode())))
        assert [v["title"] for v in versions] == ["First", "First, again"]
        assert "'=Walked" in files.read("journal/entries.csv").decode()  # a cell, never a formula
        assert json.loads(files.read("journal/journal.json"))["entries"][0]["text"] == "=Walked"

        everything = await _ok(await web.get("/api/export", headers=_auth(robin)))
        assert everything["stories"] == part and everything["journal"]["entries"][0]["text"] == "=Walked"
        assert await _ok(await web.get("/api/stories/export", headers=_auth(robin))) == part
        theirs = await _ok(await web.get("/api/stories/export", headers=_auth(ana)))
        assert [s["id"] for s in theirs["stories"]] == [anas, other]
        assert theirs["replies"] == theirs["encouragement"] == theirs["reports"] == []  # Robin's stay Robin's
        assert (await web.get("/api/stories/export")).status_code == 401
        web.cookies.clear()
        assert (await web.get("/export.zip", follow_redirects=False)).status_code in (302, 303, 401)
