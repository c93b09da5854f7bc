"""`smallwins demo` leaves a living journal: months of entries, a handover, an encourager."""

from __future__ import annotations

from collections.abc import AsyncIterator

import asyncpg
import pytest
import pytest_asyncio

from shared.bus.connection import connect
from shared.bus.rpc import ServiceClient
from shared.contracts import journal as j
from shared.contracts import moderation as mc
from shared.contracts import stories as s
from shared.contracts.accounts import MemberView, RegisterRequest, SessionIssued, SignInRequest
from shared.settings import Settings
from smallwins.demo import PASSWORD, seed
from web.services import acting

pytestmark = pytest.mark.e2e


@pytest_asyncio.fixture
async def client(settings: Settings, system: object) -> AsyncIterator[ServiceClient]:
    nc = await connect(settings.servers()[1], name="test")
    yield ServiceClient(nc, settings.nats_prefix, timeout=30)
    await nc.close()


async def test_demo_seeds_a_living_journal_once(client: ServiceClient, settings: Settings) -> None:
    first = await seed(client)
    assert first.added and set(first.logins) >= {
        "robin@demo.small-wins.invalid",
        "sam@demo.small-wins.invalid",
        "enzo@demo.small-wins.invalid",
        "mo@demo.small-wins.invalid",
    }
    again = await seed(client)  # a second run changes nothing, and still says how to sign in
    assert not again.added and again.logins == first.logins
    robin = await client.call(
        "accounts", "sign_in", SignInRequest(email="robin@demo.small-wins.invalid", password=PASSWORD), SessionIssued
    )
    actor = acting(robin.member)
    progress = await client.call("journal", "progress", j.JournalRequest(), j.ProgressView, actor=actor)
    assert progress.journal.stage == "member_keeps"
    assert len(progress.weeks) >= 10 and progress.total_victories >= 20 and progress.bounce_back_days
    assert progress.first is not None and progress.last is not None
    assert (
        progress.last.mood_average
        and progress.first.mood_average
        and progress.last.mood_average > progress.first.mood_average
    )
    assert {s.name for s in progress.journal.supporters} == {"Sam", "Enzo"}
    pending = await client.call("journal", "observations", j.JournalRequest(), j.ObservationsView, actor=actor)
    assert [o.author_name for o in pending.items] == ["Enzo"]
    conn = await asyncpg.connect(settings.database_url)
    try:
        assert await conn.fetchval("SELECT count(*) FROM journal.entries WHERE on_behalf") >= 10
        assert await conn.fetchval("SELECT count(*) FROM journal.notes") == 3
    finally:
        await conn.close()


async def test_demo_seeds_a_lively_feed_and_a_story_in_each_moderation_state(client: ServiceClient) -> None:
    await seed(client)
    mo = await client.call(
        "accounts", "sign_in", SignInRequest(email="mo@demo.small-wins.invalid", password=PASSWORD), SessionIssued
    )
    assert "moderator" in mo.member.roles
    actor = acting(mo.member)
    feed = await client.call("stories", "feed", s.FeedRequest(limit=50), s.FeedView, actor=actor)
    assert len(feed.items) >= 30 and len({t for i in feed.items for t in i.themes}) >= 8
    assert any(i.warnings for i in feed.items)
    queue = await client.call("stories", "queue", mc.QueueRequest(), mc.QueueView, actor=actor)
    assert queue.items[0].urgent and {i.review for i in queue.items} >= {"new", "appeal"}
    robin = await client.call(
        "accounts", "sign_in", SignInRequest(email="robin@demo.small-wins.invalid", password=PASSWORD), SessionIssued
    )
    mine = await client.call("stories", "mine", s.Actor(), s.MineView, actor=acting(robin.member))
    assert {i.status for i in mine.items} == {"published", "pending", "changes_requested"}
    audit = await client.call("stories", "audit", mc.AuditRequest(), mc.AuditView, actor=actor)
    assert {"approved", "rejected", "removed", "changes requested"} <= {a.action for a in audit.items}


async def test_demo_after_members_named_like_demo_members_joined(client: ServiceClient, settings: Settings) -> None:
    """Someone already goes by Robin, and someone by Mo: the demo picks free names, all of it lands,
    and the logins work."""
    for name in ("Robin", "Mo", "Mo Demo"):
        request = RegisterRequest(
            pseudonym=name, email=f"{name.replace(' ', '.').lower()}@example.org", password="a long enough password"
        )
        await client.call("accounts", "register", request, MemberView)
    seeded = await seed(client)
    assert seeded.added and seeded.renamed == {"Robin": "Robin Demo", "Mo": "Mo Demo 2"}
    for email, password in seeded.logins.items():
        issued = await client.call("accounts", "sign_in", SignInRequest(email=email, password=password), SessionIssued)
        assert issued.member.pseudonym
    robin = await client.call(
        "accounts", "sign_in", SignInRequest(email="robin@demo.small-wins.invalid", password=PASSWORD), SessionIssued
    )
    progress = await client.call("journal", "progress", j.JournalRequest(), j.ProgressView, actor=acting(robin.member))
    assert progress.journal.owner_name == "Robin Demo" and progress.total_victories >= 20
    mine = await client.call("stories", "mine", s.Actor(), s.MineView, actor=acting(robin.member))
    assert {i.status for i in mine.items} == {"published", "pending", "changes_requested"}
    assert not (await seed(client)).added
