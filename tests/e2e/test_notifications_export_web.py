"""Through web, with every service running: a member's download holds their notifications part (their
inbox in the words they were shown, and how they chose to hear things), as JSON and as a CSV of the
inbox; /api/export and /api/notifications/export answer the same, for the member alone."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from shared.settings import Settings
from shared.testing.plugin import eventually
from tests.e2e.helpers import api_members, post_form
from web.app import create_app

pytestmark = pytest.mark.e2e
Client = AsyncTestClient[Any]
CHOSEN = {
    "channels": {"encouraged": "digest", "replied": "off"}, "quiet_hours": True, "quiet_start": "21:30",
    "quiet_end": "07:15", "digest_hour": 7, "reminder": True, "reminder_time": "08:30",
}  # fmt: skip


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json() if response.text else None


async def _inbox(web: Client, token: str) -> list[dict[str, Any]]:
    return list((await _ok(await web.get("/api/inbox/", headers=_auth(token))))["items"])


async def test_the_download_holds_their_inbox_and_their_settings_and_nobody_elses(
    settings: Settings, system: object
) -> None:
    async with AsyncTestClient(app=create_app(settings)) as web:
        tokens = await api_members(web, settings, ("Robin", "Ana", "Mo"), moderators=("Mo",))
        robin, ana, mo = tokens["Robin"], tokens["Ana"], tokens["Mo"]
        story = await _ok(
            await web.post("/api/stories/", json={"title": "First", "body": "Out of bed."}, headers=_auth(robin)), 201
        )
        decision = {"action": "approve"}
        await _ok(await web.post(f"/api/moderation/items/{story['id']}/decision", json=decision, headers=_auth(mo)))
        cheer = {"kind": "proud"}
        await _ok(await web.post(f"/api/stories/{story['id']}/encouragement", json=cheer, headers=_auth(ana)), 201)

        async def told() -> list[dict[str, Any]]:
            items = await _inbox(web, robin)
            return items if {"welcome", "approved", "encouraged"} <= {i["kind"] for i in items} else []

        items = await eventually(told, timeout=15)
        approved = next(i for i in items if i["kind"] == "approved")
        await _ok(await web.post(f"/api/inbox/{approved['id']}/read", headers=_auth(robin)))
        await _ok(await web.put("/api/notifications/preferences", json=CHOSEN, headers=_auth(robin)))

        form = {"email": "robin@example.org", "password": "long enough password"}
        assert (await post_form(web, "/signin", form, page="/signin")).status_code in (302, 303)
        download = await web.get("/export.zip")
        assert download.status_code == 200 and download.headers["cache-control"] == "no-store"
        files = zipfile.ZipFile(io.BytesIO(download.content))
        assert {"notifications/notifications.json", "notifications/inbox.csv"} <= set(files.namelist())
        assert "notifications/inbox.csv" in files.read("README.txt").decode()
        part = json.loads(files.read("notifications/notifications.json"))
        shown = {i["kind"]: i for i in part["items"]}
        assert shown.keys() == {"welcome", "approved", "encouraged"}
        assert shown["encouraged"]["title"] == "Ana is proud of your story" and not shown["encouraged"]["read"]
        assert shown["approved"]["title"] == "Your story was approved" and shown["approved"]["read"]
        assert shown["approved"]["read_at"] and shown["welcome"]["title"] == "Welcome to Small Wins"
        prefs = part["preferences"]
        assert prefs["channels"]["encouraged"] == "digest" and prefs["channels"]["replied"] == "off"
        assert (prefs["quiet_start"], prefs["quiet_end"], prefs["digest_hour"], prefs["reminder_time"]) == (
            "21:30", "07:15", 7, "08:30"
        )  # fmt: skip
        assert prefs["reminder"] and prefs["quiet_hours"]
        rows = list(csv.DictReader(io.StringIO(files.read("notifications/inbox.csv").decode())))
        assert {(r["kind"], r["title"], r["read"]) for r in rows} == {
            ("welcome", "Welcome to Small Wins", "False"), ("approved", "Your story was approved", "True"),
            ("encouraged", "Ana is proud of your story", "False"),
        }  # fmt: skip
        assert all(r["when"] for r in rows)

        alone = await _ok(await web.get("/api/notifications/export", headers=_auth(robin)))
        everything = await _ok(await web.get("/api/export", headers=_auth(robin)))
        assert everything["notifications"] == alone
        assert [(i["kind"], i["title"]) for i in alone["items"]] == [(i["kind"], i["title"]) for i in part["items"]]
        assert alone["settings"]["digest_hour"] == 7 and alone["settings"]["channels"]["encouraged"] == "digest"
        theirs = await _ok(await web.get("/api/notifications/export", headers=_auth(ana)))
        assert [i["kind"] for i in theirs["items"]] == ["welcome"]  # Robin's stay Robin's
        assert theirs["settings"]["channels"]["encouraged"] == "in_app"  # the defaults, until she chooses
        assert (await web.get("/api/notifications/export")).status_code == 401
