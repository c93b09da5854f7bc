"""A member's journal pages after their keeper has left Small Wins (ADR 35): every page renders,
what the keeper wrote for the member stays as by "a former supporter", the keeper's own words and
name are gone."""

from __future__ import annotations

import html
import json
from uuid import UUID

import asyncpg
import pytest
from litestar.testing import AsyncTestClient

from shared.contracts.erasure import PLACEHOLDER_SUPPORTER
from shared.settings import Settings
from shared.testing.plugin import eventually
from tests.e2e.helpers import api_members, count, post_form
from tests.support.member_erased import erase, erased_in
from web.app import create_app

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(120)]
OWNER, KEEPER = "Alexandra", "Kaimarker"


async def test_the_members_pages_render_after_their_keeper_is_erased(settings: Settings, system: object) -> None:
    db = settings.database_url or ""
    async with AsyncTestClient(app=create_app(settings)) as client:
        tokens = await api_members(client, settings, (OWNER, KEEPER))

        async def api(who: str, method: str, path: str, body: object = None) -> dict[str, object]:
            response = await client.request(method, path, json=body, headers={"Authorization": f"Bearer {tokens[who]}"})
            assert response.status_code < 300, response.text
            return response.json() if response.content else {}  # type: ignore[no-any-return]

        await eventually(lambda: _people(db, 2))
        mine = await api(OWNER, "POST", "/api/journal/entries", {"kind": "victory", "text": "OWN-WIN a walk",
                                                                  "visibility": "supporters"})  # fmt: skip
        jid = (await api(OWNER, "GET", "/api/journal/view"))["journal_id"]
        await api(OWNER, "POST", "/api/journal/supporters", {"pseudonym": KEEPER, "role": "keeper"})
        await api(KEEPER, "POST", f"/api/journal/invitations/{jid}", {"accept": True})
        await api(OWNER, "POST", "/api/journal/stage", {"stage": "kept_together"})
        await api(KEEPER, "POST", "/api/journal/entries", {"kind": "victory", "text": "KEPT-WIN breakfast",
                                                           "journal_id": jid, "visibility": "supporters"})  # fmt: skip
        await api(KEEPER, "POST", f"/api/journal/entries/{mine['id']}/notes", {"text": "KAI-NOTE proud"})
        kept = await api(KEEPER, "POST", "/api/journal/observations", {"journal_id": jid, "text": "KAI-SAW you rest"})
        await api(KEEPER, "POST", "/api/journal/observations", {"journal_id": jid, "text": "KAI-PENDING you laugh"})
        await api(OWNER, "POST", f"/api/journal/observations/{kept['id']}", {"resolution": "accepted"})
        await api(KEEPER, "POST", "/api/journal/stage", {"journal_id": jid, "stage": "supporter_keeps"})

        keeper = UUID(await _member_id(db, KEEPER))
        await erase(db, keeper)
        await erased_in(db, "journal", keeper)

        email = f"{OWNER.lower()}@example.org"
        signed_in = await post_form(client, "/signin", {"email": email, "password": "long enough password"})
        assert signed_in.status_code in (302, 303), signed_in.text
        pages = {}
        for path in ("/", "/journal", "/journal/progress", "/journal/supporters", "/journal/export.json"):
            page = await client.get(path)
            assert page.status_code == 200, (path, page.text)
            pages[path] = html.unescape(page.text)
        for path, text in pages.items():
            assert "KAI-NOTE" not in text and "KAI-PENDING" not in text, path
            # the home page also shows the inbox, which notifications erases in its own part
            assert path == "/" or KEEPER not in text, path
        timeline = pages["/journal"]
        assert "KEPT-WIN breakfast" in timeline and "OWN-WIN a walk" in timeline
        assert f"Written by <bdi>{PLACEHOLDER_SUPPORTER}</bdi> for you" in timeline
        assert f"Noticed by <bdi>{PLACEHOLDER_SUPPORTER}</bdi>" in timeline and "KAI-SAW you rest" in timeline
        assert "<bdi>A former supporter</bdi> proposes" in timeline
        assert "<bdi>A former supporter</bdi> proposes a handover step" in pages["/"]
        exported = json.loads(pages["/journal/export.json"])
        assert {e["author_name"] for e in exported["entries"]} == {OWNER, PLACEHOLDER_SUPPORTER}
        assert [o["text"] for o in exported["observations"]] == ["KAI-SAW you rest"]
        api_view = await api(OWNER, "GET", "/api/journal/")
        assert PLACEHOLDER_SUPPORTER in json.dumps(api_view) and KEEPER not in json.dumps(api_view)


async def _people(db: str, n: int) -> bool:
    return await count(db, "SELECT count(*) FROM journal.people") >= n


async def _member_id(db: str, name: str) -> str:
    conn = await asyncpg.connect(db)
    try:
        return str(await conn.fetchval("SELECT member_id FROM accounts.members WHERE pseudonym = $1", name))
    finally:
        await conn.close()
