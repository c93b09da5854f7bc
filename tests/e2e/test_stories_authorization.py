"""Who may see and do what in the peer feed, over the stories and moderation routes (API and pages).

Ana writes stories; Stan is another member; Mo is a moderator and Ada an admin. Visitors without an
account read nothing unless the operator opened the feed, and then only published stories. A story
that is not visible to someone is not found (404), never forbidden.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio
from litestar.testing import AsyncTestClient

from shared.bus.connection import connect
from shared.bus.rpc import ServiceClient
from shared.contracts.accounts import GrantRoleRequest, MemberView
from shared.settings import Settings
from smallwins.servers import operator
from web.app import create_app

pytestmark = pytest.mark.e2e
ACTORS = ("anonymous", "member", "author", "admin", "moderator")
NAMES = {"member": "Stan", "author": "Ana", "admin": "Ada", "moderator": "Mo"}


class Feed:
    def __init__(self, client: AsyncTestClient) -> None:  # type: ignore[type-arg]
        self.client = client
        self.tokens: dict[str, str] = {}
        self.ids: dict[str, str] = {}

    async def api(self, actor: str, method: str, path: str, body: Any = None) -> Any:
        headers = {"Authorization": f"Bearer {self.tokens[actor]}"} if actor in self.tokens else {}
        return await self.client.request(method, path.format(**self.ids), json=body, headers=headers)

    async def ok(self, actor: str, method: str, path: str, body: Any = None) -> Any:
        response = await self.api(actor, method, path, body)
        assert response.status_code < 300, response.text
        return response.json() if response.content else None

    async def page(self, actor: str, path: str) -> Any:
        self.client.cookies.clear()
        if actor in self.tokens:
            self.client.cookies.set("sw_session", self.tokens[actor])
        return await self.client.get(path.format(**self.ids), follow_redirects=False)


async def _world(settings: Settings) -> AsyncIterator[Feed]:
    async with AsyncTestClient(app=create_app(settings)) as client:
        f = Feed(client)
        nc = await connect(settings.servers()[1], name="test")
        for actor, name in NAMES.items():
            email = f"{name.lower()}@example.org"
            body = {"pseudonym": name, "email": email, "password": "long enough password"}
            assert (await client.post("/api/members", json=body)).status_code == 201
            if actor in ("admin", "moderator"):
                role = GrantRoleRequest(pseudonym=name, role=actor)
                await ServiceClient(nc, settings.nats_prefix).call(
                    "accounts", "grant_role", role, MemberView, actor=operator()
                )
            signin = {"email": email, "password": "long enough password"}
            session = (await client.post("/api/sessions", json=signin)).json()
            f.tokens[actor], f.ids[actor] = session["token"], session["member"]["id"]
        await nc.close()
        for name in ("published", "pending", "withdrawn", "removed"):
            f.ids[name] = (await f.ok("author", "POST", "/api/stories/", {"title": name, "body": f"A {name} story"}))[
                "id"
            ]
        for name in ("published", "withdrawn", "removed"):
            await f.ok("moderator", "POST", f"/api/moderation/items/{{{name}}}/decision", {"action": "approve"})
        await f.ok("author", "POST", "/api/posts/{withdrawn}/withdraw")
        removal = {"action": "remove", "reason": "off-topic", "guidance": "Keep it about recovery"}
        await f.ok("moderator", "POST", "/api/moderation/items/{removed}/decision", removal)
        yield f


@pytest_asyncio.fixture
async def closed(settings: Settings, system: object) -> AsyncIterator[Feed]:
    async for f in _world(settings):
        yield f


@pytest_asyncio.fixture
async def opened(settings: Settings) -> AsyncIterator[Feed]:
    from smallwins.registry import SERVICES
    from tests.conftest import RunningServices

    public = settings.with_(stories_public=True)
    running = RunningServices(public, list(SERVICES.values()))
    running.start()
    try:
        async for f in _world(public):
            yield f
    finally:
        running.stop()


def expect(anonymous: int = 401, **by_actor: int) -> dict[str, int]:
    """Signed-in actors not listed get 404."""
    return {"anonymous": anonymous, **{a: by_actor.get(a, 404) for a in ACTORS[1:]}}


EVERYONE, INSIDERS = (
    {"member": 200, "author": 200, "admin": 200, "moderator": 200},
    {"author": 200, "admin": 200, "moderator": 200},
)
MODERATORS = {"member": 403, "author": 403, "admin": 200, "moderator": 200}
READS = [  # (path, closed to visitors, opened to visitors)
    ("/api/stories/", expect(**EVERYONE), expect(200, **EVERYONE)),
    ("/api/stories/{published}", expect(**EVERYONE), expect(200, **EVERYONE)),
    ("/api/stories/{pending}", expect(**INSIDERS), expect(404, **INSIDERS)),
    ("/api/stories/{withdrawn}", expect(**INSIDERS), expect(404, **INSIDERS)),
    ("/api/stories/{removed}", expect(**INSIDERS), expect(404, **INSIDERS)),
    ("/api/stories/mine", expect(**EVERYONE), expect(**EVERYONE)),
    ("/api/moderation/queue", expect(**MODERATORS), expect(**MODERATORS)),
    ("/api/moderation/audit", expect(**MODERATORS), expect(**MODERATORS)),
    ("/api/moderation/items/{pending}", expect(**MODERATORS), expect(**MODERATORS)),
    ("/api/moderation/templates", expect(**MODERATORS), expect(**MODERATORS)),
    ("/api/stories/messages", expect(**EVERYONE), expect(**EVERYONE)),
]


@pytest.mark.parametrize(("path", "when_closed", "when_open"), READS, ids=[r[0] for r in READS])
async def test_reads_with_the_feed_closed(
    closed: Feed, path: str, when_closed: dict[str, int], when_open: dict[str, int]
) -> None:
    got = {actor: (await closed.api(actor, "GET", path)).status_code for actor in ACTORS}
    assert got == when_closed


@pytest.mark.parametrize(("path", "when_closed", "when_open"), READS, ids=[r[0] for r in READS])
async def test_reads_with_the_feed_open(
    opened: Feed, path: str, when_closed: dict[str, int], when_open: dict[str, int]
) -> None:
    got = {actor: (await opened.api(actor, "GET", path)).status_code for actor in ACTORS}
    assert got == when_open


WRITES: list[tuple[str, str, Any, dict[str, int]]] = [
    (
        "POST",
        "/api/stories/{published}/encouragement",
        {"kind": "proud"},
        expect(member=201, author=409, admin=201, moderator=201),
    ),
    ("POST", "/api/stories/{pending}/encouragement", {"kind": "proud"}, expect()),
    (
        "POST",
        "/api/stories/{published}/replies",
        {"body": "Well done"},
        expect(member=201, author=201, admin=201, moderator=201),
    ),
    ("POST", "/api/stories/{pending}/replies", {"body": "Early"}, expect()),
    (
        "POST",
        "/api/stories/{removed}/replies",
        {"body": "Late"},
        expect(member=409, author=409, admin=409, moderator=409),
    ),
    ("PUT", "/api/stories/{pending}", {"title": "Changed", "body": "Changed", "version": 1}, expect(author=200)),
    (
        "POST",
        "/api/posts/{published}/reports",
        {"reason": "unkind"},
        expect(member=201, author=409, admin=201, moderator=201),
    ),
    ("POST", "/api/posts/{removed}/appeal", {"statement": "Please look again"}, expect(author=201)),
    ("POST", "/api/moderation/items/{pending}/claim", None, expect(member=404, author=403, admin=200, moderator=409)),
    (
        "POST",
        "/api/moderation/items/{published}/decision",
        {"action": "remove", "reason": "spam"},
        expect(member=403, author=403, admin=200, moderator=409),
    ),
    ("POST", "/api/posts/{pending}/withdraw", None, expect(author=200)),
    # reaching out and holding are for urgent items only; releasing needs a claim of one's own
    (
        "POST",
        "/api/moderation/items/{pending}/reach-out",
        {"template_id": "6f1c1d2e-5b1a-4c53-9a55-000000000001"},
        expect(member=404, author=403, admin=409, moderator=409),
    ),
    ("POST", "/api/moderation/items/{pending}/hold", None, expect(member=404, author=403, admin=409, moderator=409)),
    ("POST", "/api/moderation/items/{pending}/release", None, expect(member=404, author=403, admin=409, moderator=409)),
    (
        "PUT",
        "/api/moderation/templates/6f1c1d2e-5b1a-4c53-9a55-00000000abcd",
        {"name": "Later", "body": "We're still here."},
        expect(member=403, author=403, admin=200, moderator=200),
    ),
]


@pytest.mark.parametrize(("method", "path", "body", "expected"), WRITES, ids=[f"{m} {p}" for m, p, _, _ in WRITES])
async def test_writes(closed: Feed, method: str, path: str, body: Any, expected: dict[str, int]) -> None:
    got = {}
    for actor in ACTORS:
        got[actor] = (await closed.api(actor, method, path, body)).status_code
    assert got == expected


PAGES = [  # (path, closed, opened): a visitor is sent to sign in while the feed is closed
    ("/stories", expect(302, **EVERYONE), expect(200, **EVERYONE)),
    ("/stories/{published}", expect(302, **EVERYONE), expect(200, **EVERYONE)),
    ("/stories/{pending}", expect(302, **INSIDERS), expect(404, **INSIDERS)),
    ("/stories/{removed}", expect(302, **INSIDERS), expect(404, **INSIDERS)),
    ("/stories/mine", expect(302, **EVERYONE), expect(302, **EVERYONE)),
    ("/moderation", expect(302, **MODERATORS), expect(302, **MODERATORS)),
    ("/moderation/audit", expect(302, **MODERATORS), expect(302, **MODERATORS)),
    ("/stories/feed.atom", expect(404, member=404, author=404, admin=404, moderator=404), expect(200, **EVERYONE)),
]


@pytest.mark.parametrize(("path", "when_closed", "when_open"), PAGES, ids=[p[0] for p in PAGES])
async def test_pages(closed: Feed, path: str, when_closed: dict[str, int], when_open: dict[str, int]) -> None:
    got = {actor: (await closed.page(actor, path)).status_code for actor in ACTORS}
    assert got == when_closed


async def test_pages_and_atom_with_the_feed_open(opened: Feed) -> None:
    for path, _, when_open in PAGES:
        got = {actor: (await opened.page(actor, path)).status_code for actor in ACTORS}
        assert got == when_open, path
    atom = (await opened.page("anonymous", "/stories/feed.atom")).text
    assert "published" in atom and "pending" not in atom and "withdrawn" not in atom and "removed" not in atom


async def test_html_in_a_story_stays_inert_on_its_page_and_in_the_atom_feed(opened: Feed) -> None:
    script = "<script>alert('hi')</script><b>bold</b>"
    posted = await opened.ok("author", "POST", "/api/stories/", {"title": f"T {script}", "body": f"B {script}"})
    await opened.ok("moderator", "POST", f"/api/moderation/items/{posted['id']}/decision", {"action": "approve"})
    page = (await opened.page("anonymous", f"/stories/{posted['id']}")).text
    atom = (await opened.page("anonymous", "/stories/feed.atom")).text
    for text in (page, atom):
        assert "<script>alert" not in text and "<b>bold</b>" not in text
        assert "&lt;script&gt;alert(" in text
    assert (await opened.api("anonymous", "GET", f"/api/stories/{posted['id']}")).json()["body"] == f"B {script}"
