"""Replies that answer another reply, over NATS with real PostgreSQL: what may be answered, what is
refused (and leaves nothing behind), how a story lists its threads, and a retry that stores once."""

from __future__ import annotations

from uuid import UUID, uuid4

import asyncpg
import pytest

from shared.bus.rpc import ServiceClient
from shared.contracts import stories as s
from shared.errors import Conflict, Invalid, NotFound
from shared.settings import Settings
from tests.support.stories import Teller

pytestmark = pytest.mark.integration


async def published_story(client: ServiceClient, author: Teller) -> UUID:
    posted = await author.submit()
    await Teller(client, "Mo", "moderator").moderate(posted.id)
    return posted.id


async def approved_reply(client: ServiceClient, who: Teller, story: UUID, body: str, to: UUID | None = None) -> UUID:
    posted = await who.call("reply", s.Posted, story_id=story, body=body, in_reply_to=to)
    assert posted.status == "pending"  # a newcomer's reply waits for review
    await Teller(client, "Mo", "moderator").moderate(posted.id)
    return posted.id


async def stored(settings: Settings) -> tuple[int, int]:
    """How many events and reply rows the stories service holds."""
    conn = await asyncpg.connect(settings.database_url)
    try:
        events = await conn.fetchval("SELECT count(*) FROM stories.events")
        rows = await conn.fetchval("SELECT count(*) FROM stories.posts WHERE kind = 'reply'")
        return events, rows
    finally:
        await conn.close()


async def test_an_answer_follows_the_thread_it_leads_back_to_one_level_deep(client: ServiceClient) -> None:
    ana, bo, cy, di, ed = (Teller(client, n) for n in ("Ana", "Bo", "Cy", "Di", "Ed"))
    story = await published_story(client, ana)
    bos = await approved_reply(client, bo, story, "So proud of you")
    cys = await approved_reply(client, cy, story, "Same here, Bo", to=bos)
    dis = await approved_reply(client, di, story, "Lovely story")
    eds = await approved_reply(client, ed, story, "Cy, me too", to=cys)
    view = await Teller(client, "Reader").call("story", s.StoryView, story_id=story)
    listed = [(r.id, r.in_reply_to, r.in_reply_to_pseudonym, r.nested, r.can_answer) for r in view.replies]
    assert listed == [
        (bos, None, "", False, True),
        (cys, bos, "Bo", True, True),
        (eds, cys, "Cy", True, True),
        (dis, None, "", False, True),
    ]
    await ana.call("hide_reply", s.Done, item_id=cys)  # Cy's reply leaves the page: Ed's is labelled, on its own
    view = await Teller(client, "Reader").call("story", s.StoryView, story_id=story)
    listed = [(r.id, r.in_reply_to, r.in_reply_to_pseudonym, r.nested) for r in view.replies]
    assert listed == [(bos, None, "", False), (dis, None, "", False), (eds, cys, "", False)]
    own = await ana.call("story", s.StoryView, story_id=story)  # the story's author still sees the hidden one
    assert [r.id for r in own.replies] == [bos, cys, eds, dis]


async def test_answering_what_the_replier_cannot_answer_is_refused_and_stores_nothing(
    client: ServiceClient, settings: Settings
) -> None:
    ana, bo, cy, mod = (
        Teller(client, "Ana"),
        Teller(client, "Bo"),
        Teller(client, "Cy"),
        Teller(client, "Mo", "moderator"),
    )
    story, other = await published_story(client, ana), await published_story(client, ana)
    elsewhere = await approved_reply(client, bo, other, "On the other story")
    waiting = (await bo.call("reply", s.Posted, story_id=story, body="Still waiting")).id
    rejected = (await bo.call("reply", s.Posted, story_id=story, body="Not approved")).id
    await mod.moderate(rejected, "reject", reason="off-topic")
    withdrawn = (await cy.call("reply", s.Posted, story_id=story, body="I'll take this back")).id
    await cy.call("withdraw", s.Done, item_id=withdrawn)
    before = await stored(settings)
    refusals: list[tuple[UUID, type[Exception]]] = [
        (elsewhere, Invalid), (story, Invalid),  # a reply on another story; the story itself
        (waiting, NotFound), (rejected, NotFound), (uuid4(), NotFound),  # someone else's unpublished; nothing
        (withdrawn, Conflict),  # one's own, taken down
    ]  # fmt: skip
    for parent, refused in refusals:
        with pytest.raises(refused) as raised:
            await cy.call(
                "reply", s.Posted, story_id=story, body="Hello", in_reply_to=parent, idempotency_key=f"{parent}"
            )
        if refused is Invalid:
            assert raised.value.errors[0].field == "in_reply_to"  # type: ignore[attr-defined]
    assert await stored(settings) == before
    assert [i.id for i in (await cy.call("mine", s.MineView)).items] == [withdrawn]
    mine = await bo.call("reply", s.Posted, story_id=story, body="Adding to mine", in_reply_to=waiting)
    assert mine.status == "pending"  # one's own reply may be answered while it waits


async def test_a_retried_answer_stores_one_reply(client: ServiceClient, settings: Settings) -> None:
    ana, bo, cy = Teller(client, "Ana"), Teller(client, "Bo"), Teller(client, "Cy")
    story = await published_story(client, ana)
    bos = await approved_reply(client, bo, story, "So proud of you")
    before = await stored(settings)
    first = await cy.call("reply", s.Posted, story_id=story, body="Me too", in_reply_to=bos, idempotency_key="k1")
    again = await cy.call("reply", s.Posted, story_id=story, body="Me too", in_reply_to=bos, idempotency_key="k1")
    assert first == again
    events, rows = await stored(settings)
    assert (events, rows) == (before[0] + 1, before[1] + 1)


async def test_the_threads_are_rebuilt_from_the_log(client: ServiceClient, settings: Settings) -> None:
    from services.stories.main import SERVICE
    from shared.eventstore.store import EventStore
    from shared.projections import rebuild

    ana, bo, cy = Teller(client, "Ana"), Teller(client, "Bo"), Teller(client, "Cy")
    story = await published_story(client, ana)
    bos = await approved_reply(client, bo, story, "So proud of you")
    cys = await approved_reply(client, cy, story, "Me too", to=bos)
    sql = "SELECT item_id, in_reply_to, status, version FROM stories.posts ORDER BY item_id"
    pool = await asyncpg.create_pool(settings.database_url, min_size=1, max_size=2)
    try:
        before = [dict(r) for r in await pool.fetch(sql)]
        posts = next(p for p in SERVICE.projections if p.name == "posts")
        await rebuild(pool, EventStore("stories", SERVICE.registry), posts)
        after = [dict(r) for r in await pool.fetch(sql)]
    finally:
        await pool.close()
    assert after == before and {r["item_id"]: r["in_reply_to"] for r in after}[cys] == bos
