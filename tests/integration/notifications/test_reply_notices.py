"""Replies to replies in the inbox, with real PostgreSQL and NATS: the story's author hears
"replied", the answered writer "replied to your reply", the one who answered nothing; nobody hears
of a reply that waits for moderation or was rejected; a redelivery duplicates nothing."""

from __future__ import annotations

from uuid import UUID

import msgspec
import pytest

from services.notifications.main import SERVICE
from shared.bus.connection import connect
from shared.bus.rpc import ServiceClient
from shared.contracts import stories as s
from shared.db import create_pool
from shared.eventstore.store import EventStore
from shared.messages import Metadata, RecordedEvent
from shared.service import ServiceContext, consumer_runners
from shared.settings import Settings
from shared.testing.plugin import eventually
from tests.integration.notifications.test_inbox import asyncpg_fetchrow, inbox, published_story, shows
from tests.support.people import register
from tests.support.stories import Teller

pytestmark = pytest.mark.integration
REPLIES = ("replied", "reply_to_reply")


async def heard(client: ServiceClient, who: UUID) -> list[tuple[str, str]]:
    """What a member was told of replies: (kind, title), newest first."""
    return [(i.kind, i.title) for i in (await inbox(client, who)).items if i.kind in REPLIES]


async def members(client: ServiceClient, settings: Settings, *names: str) -> list[Teller]:
    db = settings.database_url or ""
    return [Teller(client, p.name, member_id=p.id) for p in [await register(client, n, db) for n in names]]


async def reply(who: Teller, story: UUID, body: str, to: UUID | None = None) -> UUID:
    return (await who.call("reply", s.Posted, story_id=story, body=body, in_reply_to=to)).id


async def test_the_story_author_and_the_answered_writer_each_hear_and_the_answerer_does_not(
    client: ServiceClient, settings: Settings
) -> None:
    ana, bo, cy = await members(client, settings, "Ana", "Bo", "Cy")
    mod = Teller(client, "Mo", "moderator")
    story = await published_story(client, ana)
    bos = await reply(bo, story, "So proud of you")
    await mod.moderate(bos)
    await eventually(lambda: shows(client, ana.id, "Bo replied to your story"))
    await mod.moderate(await reply(cy, story, "Me too, Bo", to=bos))
    await eventually(lambda: shows(client, bo.id, "Cy replied to your reply"))
    await eventually(lambda: shows(client, ana.id, "Bo and Cy replied to your story"))  # grouped with Bo's
    assert await heard(client, ana.id) == [("replied", "Bo and Cy replied to your story")]
    assert await heard(client, bo.id) == [("reply_to_reply", "Cy replied to your reply")]
    assert await heard(client, cy.id) == []
    item = next(i for i in (await inbox(client, bo.id)).items if i.kind == "reply_to_reply")
    assert (item.about, item.about_id) == ("story", story)  # it leads to the story
    await mod.moderate(await reply(ana, story, "Thank you both", to=bos))  # the story's author answers Bo
    await eventually(lambda: shows(client, bo.id, "Cy and Ana replied to your reply"))
    assert await heard(client, ana.id) == [("replied", "Bo and Cy replied to your story")]
    assert await heard(client, cy.id) == []


async def test_an_answer_waiting_for_review_or_rejected_tells_nobody_until_it_is_published(
    client: ServiceClient, settings: Settings
) -> None:
    ana, bo, di, ed = await members(client, settings, "Ana", "Bo", "Di", "Ed")
    mod = Teller(client, "Mo", "moderator")
    story = await published_story(client, ana)
    bos = await reply(bo, story, "So proud of you")
    await mod.moderate(bos)
    await eventually(lambda: shows(client, ana.id, "Bo replied to your story"))
    waiting = await reply(di, story, "Me too", to=bos)
    refused = await reply(ed, story, "Off topic", to=bos)
    await mod.moderate(refused, "reject", reason="off-topic")
    await eventually(lambda: shows(client, ed.id, "Your reply was not approved"))  # later events were applied
    assert await heard(client, bo.id) == []
    assert await heard(client, ana.id) == [("replied", "Bo replied to your story")]
    await mod.moderate(waiting)
    await eventually(lambda: shows(client, bo.id, "Di replied to your reply"))
    await eventually(lambda: shows(client, ana.id, "Bo and Di replied to your story"))
    assert all("Ed" not in title for _, title in [*await heard(client, bo.id), *await heard(client, ana.id)])


async def test_a_redelivered_answer_duplicates_nothing(client: ServiceClient, settings: Settings) -> None:
    ana, bo, cy = await members(client, settings, "Ana", "Bo", "Cy")
    mod = Teller(client, "Mo", "moderator")
    story = await published_story(client, ana)
    bos = await reply(bo, story, "So proud of you")
    await mod.moderate(bos)
    answer = await reply(cy, story, "Me too", to=bos)
    await mod.moderate(answer)
    await eventually(lambda: shows(client, bo.id, "Cy replied to your reply"))
    await eventually(lambda: shows(client, ana.id, "Bo and Cy replied to your story"))
    before = {m: await inbox(client, m) for m in (ana.id, bo.id, cy.id)}
    db = settings.database_url or ""
    row = await asyncpg_fetchrow(
        db,
        "SELECT global_position, transaction_id::text::bigint AS transaction_id, event_id, stream_id,"
        " stream_version, event_type, schema_version, data::text AS data, metadata::text AS metadata, recorded_at"
        f" FROM stories.events WHERE event_type = 'stories.post_published.v1' AND stream_id = 'post-{answer}'",
    )
    event = RecordedEvent(
        **{k: v for k, v in dict(row).items() if k not in ("data", "metadata")},
        data=msgspec.Raw(row["data"].encode()),
        metadata=msgspec.json.decode(row["metadata"], type=Metadata),
    )
    assert msgspec.json.decode(row["data"])["parent_author_id"] == str(bo.id)  # ids only, no text in clear
    pool = await create_pool(db, schema="notifications")
    nc = await connect(settings.servers()[1], name="redeliver")
    try:
        ctx = ServiceContext(settings=settings, pool=pool, nc=nc, store=EventStore("notifications", SERVICE.registry))
        runner = next(r for r in consumer_runners(SERVICE, ctx) if r.spec.durable.endswith("inbox-stories"))
        assert await runner.apply(event) is False
        await runner.apply_many([event])
    finally:
        await nc.close()
        await pool.close()
    assert {m: await inbox(client, m) for m in (ana.id, bo.id, cy.id)} == before
