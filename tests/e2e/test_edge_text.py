"""Control characters other than tab, newline and carriage return are refused in every text field,
on /api and on pages, with a 422 that names the field; nothing is stored, and the public Atom feed
stays well-formed XML with the text that is allowed (tabs, line breaks, any language, emoji)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from litestar.testing import AsyncTestClient

from shared.settings import Settings
from tests.e2e.helpers import count, post_form
from web.app import create_app

pytestmark = pytest.mark.e2e
ATOM = "{http://www.w3.org/2005/Atom}"
MEMBER = {"pseudonym": "Quiet Fern", "email": "fern@example.org", "password": "a long enough password"}
# a vertical tab, an escape, DEL, a C1 control and NUL: each one made the feed unreadable or the database refuse
BAD = ["\x0b", "\x1b[31m", "\x7f", "\x85", "\x00"]


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The feed is open to visitors, and a new member publishes directly (still reviewed after)."""
    return settings.with_(stories_public=True, stories_trust_after=0)


@pytest_asyncio.fixture
async def client(settings: Settings, system: object) -> AsyncIterator[AsyncTestClient]:  # type: ignore[type-arg]
    async with AsyncTestClient(app=create_app(settings)) as c:
        yield c


async def _stored(settings: Settings) -> int:
    return await count(settings.database_url or "", "SELECT count(*) FROM stories.events") + await count(
        settings.database_url or "", "SELECT count(*) FROM journal.events"
    )


def _refused(response: object, field: str) -> None:
    assert response.status_code == 422, response.text[:300]  # type: ignore[attr-defined]
    problem = response.json()  # type: ignore[attr-defined]
    assert response.headers["content-type"].startswith("application/problem+json")  # type: ignore[attr-defined]
    assert [e["field"] for e in problem["errors"]] == [field]
    assert "control character" in problem["errors"][0]["message"]


async def test_the_api_refuses_control_characters_naming_the_field(client: AsyncTestClient, settings: Settings) -> None:  # type: ignore[type-arg]
    for bad in BAD:
        _refused(await client.post("/api/members", json={**MEMBER, "pseudonym": f"Fern{bad}"}), "pseudonym")
    assert await count(settings.database_url or "", "SELECT count(*) FROM accounts.members") == 0
    assert (await client.post("/api/members", json=MEMBER)).status_code == 201
    signin = {"email": MEMBER["email"], "password": MEMBER["password"]}
    token = (await client.post("/api/sessions", json=signin)).json()["token"]
    auth = {"Authorization": f"Bearer {token}"}
    before = await _stored(settings)
    for bad in BAD:
        story = await client.post("/api/stories/", json={"title": f"Up{bad}again", "body": "ok"}, headers=auth)
        _refused(story, "title")
        story = await client.post("/api/stories/", json={"title": "Up again", "body": f"a{bad}b"}, headers=auth)
        _refused(story, "body")
        entry = {"kind": "setback", "text": "a hard day", "helped": f"a walk{bad}"}
        _refused(await client.post("/api/journal/entries", json=entry, headers=auth), "helped")
    assert await _stored(settings) == before


async def test_pages_refuse_control_characters_and_the_feed_stays_well_formed(
    client: AsyncTestClient,  # type: ignore[type-arg]
    settings: Settings,
) -> None:
    refused = await post_form(client, "/signup", {**MEMBER, "pseudonym": "Fern\x0b"})
    assert refused.status_code == 422 and "control character" in refused.text
    assert "<strong>pseudonym</strong>" in refused.text
    assert (await post_form(client, "/signup", MEMBER)).status_code == 200  # "check your e-mail" (ADR 28)
    signed_in = {"email": MEMBER["email"], "password": MEMBER["password"]}
    assert (await post_form(client, "/signin", signed_in)).status_code in (302, 303)
    before = await _stored(settings)
    for bad in BAD:
        story = {"title": f"Up{bad}again", "body": "It took a while."}
        page = await post_form(client, "/stories", story, page="/stories/new")
        assert page.status_code == 422 and "control character" in page.text and "title" in page.text
    assert await _stored(settings) == before

    fine = {"title": "Up again — 再び 💚", "body": "Line one\r\n\tand an indented line two.\nThree."}
    assert (await post_form(client, "/stories", fine, page="/stories/new")).status_code in (302, 303)
    client.cookies.clear()  # a visitor reads the feed
    atom = await client.get("/stories/feed.atom")
    assert atom.status_code == 200
    root = ET.fromstring(atom.content)  # noqa: S314 - our own feed; raises unless well-formed
    entries = root.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == [fine["title"]]
    assert entries[0].findtext(f"{ATOM}author/{ATOM}name") == "Quiet Fern"
    assert "and an indented line two" in (entries[0].findtext(f"{ATOM}summary") or "")
