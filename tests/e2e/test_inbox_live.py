"""The live inbox over server-sent events, through a real web server running as the ``web`` bus
user: a change reaches the member's open stream with its position as the id; a reconnect with
``Last-Event-ID`` gets what it missed once; garbage or future ids start from now; nobody hears of
anyone else's inbox; a quiet stream gets heartbeats; no session, no stream; a stream answers with
the headers every page has, and is let go as soon as its browser leaves."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import msgspec
import pytest

from shared.bus.connection import connect
from shared.bus.rpc import ServiceClient
from shared.contracts.accounts import GrantRoleRequest, MemberView
from shared.settings import Settings
from shared.testing.plugin import Servers, eventually
from smallwins.servers import operator
from tests.e2e.browser import web_server
from web.app import create_app
from web.pages import live

pytestmark = pytest.mark.e2e
PASSWORD = "long enough password"


class Event(msgspec.Struct, kw_only=True):
    id: str = ""
    event: str = ""
    data: str = ""
    comments: list[str] = msgspec.field(default_factory=list)

    @property
    def inbox(self) -> dict[str, object]:
        data: dict[str, object] = json.loads(self.data)
        return data


class Stream:
    """An open event stream, read one event (or comment block) at a time."""

    def __init__(self, response: httpx.Response) -> None:
        self.response = response
        self._lines = response.aiter_lines()

    async def next(self, timeout: float = 5.0) -> Event:
        return await asyncio.wait_for(self._block(), timeout)

    async def next_event(self, timeout: float = 5.0) -> Event:
        """The next block that is an event (heartbeats skipped)."""
        while True:
            block = await self.next(timeout)
            if block.data:
                return block

    async def _block(self) -> Event:
        block = Event()
        async for line in self._lines:
            if not line:
                return block
            field, _, value = line.partition(":")
            value = value.removeprefix(" ")
            if field == "":
                block.comments.append(value)
            elif field in ("id", "event", "data"):
                setattr(block, field, value)
        raise EOFError


@asynccontextmanager
async def stream(client: httpx.AsyncClient, token: str, last: str | None = None) -> AsyncIterator[Stream]:
    headers = {"Cookie": f"sw_session={token}", **({"Last-Event-ID": last} if last is not None else {})}
    async with client.stream("GET", "/inbox/live", headers=headers) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        yield Stream(response)


async def members(client: httpx.AsyncClient, settings: Settings, *names: str) -> dict[str, str]:
    tokens = {}
    for name in names:
        body = {"pseudonym": name, "email": f"{name.lower()}@example.org", "password": PASSWORD}
        assert (await client.post("/api/members", json=body)).status_code == 201
        if name == "Mo":
            nc = await connect(settings.servers()[1], name="test")
            grant = GrantRoleRequest(pseudonym=name, role="moderator")
            await ServiceClient(nc, settings.nats_prefix).call(
                "accounts", "grant_role", grant, MemberView, actor=operator()
            )
            await nc.close()
        signin = {"email": body["email"], "password": PASSWORD}
        tokens[name] = (await client.post("/api/sessions", json=signin)).json()["token"]
    return tokens


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def approved_story(client: httpx.AsyncClient, author: str, moderator: str) -> str:
    item = (await client.post("/api/stories/", json={"title": "Tea", "body": "Tea."}, headers=bearer(author))).json()
    decided = await client.post(
        f"/api/moderation/items/{item['id']}/decision", json={"action": "approve"}, headers=bearer(moderator)
    )
    assert decided.status_code == 200
    return str(item["id"])


async def encourage(client: httpx.AsyncClient, story: str, token: str, kind: str = "proud") -> None:
    cheer = await client.post(f"/api/stories/{story}/encouragement", json={"kind": kind}, headers=bearer(token))
    assert cheer.status_code == 201


async def settled(s: Stream, unread: int) -> Event:
    """Events until the stream shows ``unread`` (the welcome and approval notes arrive on their own)."""
    event = await s.next_event()
    while event.inbox["unread"] != unread:
        event = await s.next_event()
    return event


async def test_live_inbox_events_reconnects_and_privacy(
    settings: Settings, sw_servers: Servers, system: object
) -> None:
    as_web = msgspec.structs.replace(settings, nats_url=sw_servers.nats_url_for("web"))
    async with web_server(as_web) as url, httpx.AsyncClient(base_url=url, timeout=10) as client:
        assert (await client.get("/inbox/live")).status_code == 401
        assert (await client.get("/inbox/live", headers={"Cookie": "sw_session=nobody"})).status_code == 401
        t = await members(client, settings, "Ana", "Mo", "Bo", "Cy")
        story = await approved_story(client, t["Ana"], t["Mo"])

        async with stream(client, t["Ana"]) as ana, stream(client, t["Cy"]) as cy:
            mine = await settled(ana, 2)  # welcome, approved
            assert mine.event == "inbox" and int(mine.id) > 0
            await settled(cy, 1)  # welcome
            await encourage(client, story, t["Bo"])
            told = await ana.next_event()
            assert int(told.id) > int(mine.id) and told.inbox["unread"] == 3
            assert [i["title"] for i in told.inbox["items"]] == ["Bo is proud of your story"]  # type: ignore[index]
            assert told.inbox["items"][0]["href"] == f"/stories/{story}"  # type: ignore[index]
            with pytest.raises(TimeoutError):  # Ana's change is never sent to Cy
                await cy.next_event(timeout=1.0)

        await encourage(client, story, t["Cy"])  # while Ana's page is away

        async def grown() -> Event:
            async with stream(client, t["Ana"], last=told.id) as again:
                return await again.next_event()

        for _ in range(50):  # the change travels through the consumer first
            caught_up = await grown()
            if caught_up.inbox["items"]:
                break
            await asyncio.sleep(0.1)
        assert int(caught_up.id) > int(told.id)
        assert [i["title"] for i in caught_up.inbox["items"]] == ["Bo and Cy are proud of your story"]  # type: ignore[index]

        async with stream(client, t["Ana"], last=caught_up.id) as same:  # nothing is shown twice
            assert (await same.next_event()).inbox == {"unread": 3, "items": []}
        for garbage in ("abc", "-4", "1e9", "999999999999", "9" * 40, ""):
            async with stream(client, t["Ana"], last=garbage) as fresh:
                now = await fresh.next_event()
                assert now.inbox == {"unread": 3, "items": []} and now.id == caught_up.id, garbage


async def test_a_quiet_stream_gets_heartbeats(
    settings: Settings, system: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(live, "HEARTBEAT_S", 0.2)
    async with web_server(settings) as url, httpx.AsyncClient(base_url=url, timeout=10) as client:
        t = await members(client, settings, "Ana")
        async with stream(client, t["Ana"]) as ana:
            await ana.next_event()
            beats = [await ana.next() for _ in range(3)]
            assert all(b.comments == ["keep-alive"] and not b.data for b in beats if not b.data)
            assert any(b.comments == ["keep-alive"] for b in beats)


async def test_a_stream_has_the_pages_headers_and_is_let_go_when_its_browser_leaves(
    settings: Settings, system: object
) -> None:
    app = create_app(settings)
    async with web_server(settings, app) as url, httpx.AsyncClient(base_url=url, timeout=10) as client:
        t = await members(client, settings, "Ana")
        async with stream(client, t["Ana"]) as ana:
            await ana.next_event()
            assert len(app.state.live) == 1
            headers = ana.response.headers
            assert headers["x-content-type-options"] == "nosniff" and headers["cache-control"] == "no-store"
            assert headers["content-security-policy"] and len(headers["x-request-id"]) >= 8

        async def let_go() -> bool:
            return len(app.state.live) == 0

        await eventually(let_go, timeout=5)
        refused = await client.post("/inbox/live", headers={"Cookie": f"sw_session={t['Ana']}"})
        assert refused.status_code == 405 and refused.headers["allow"] == "GET"
