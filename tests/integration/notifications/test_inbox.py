"""The inbox with real PostgreSQL and NATS: each kind reaches exactly the right people."""

from __future__ import annotations

import asyncio
import datetime as dt
from uuid import UUID, uuid4

import asyncpg
import msgspec
import pytest

from services.notifications import followed, forgetting
from services.notifications.domain.inbox import Notice, noted
from services.notifications.main import SERVICE
from services.notifications.projections import INBOX
from services.stories.crisis import DEFAULT_TEMPLATES
from shared.bus.connection import connect
from shared.bus.rpc import ServiceClient
from shared.contracts import journal as j
from shared.contracts import notifications as n
from shared.contracts import stories as s
from shared.contracts.common import Acting
from shared.contracts.erasure import PLACEHOLDER_NAME
from shared.db import create_pool
from shared.errors import NotFound
from shared.eventstore.store import EventStore
from shared.messages import Metadata, RecordedEvent
from shared.service import ServiceContext, consumer_runners
from shared.settings import Settings
from shared.testing.plugin import eventually
from tests.support.people import register
from tests.support.stories import Teller

pytestmark = pytest.mark.integration


async def inbox(client: ServiceClient, who: UUID, **fields: object) -> n.InboxView:
    req = n.InboxRequest(**fields)  # type: ignore[arg-type]
    return await client.ask(n.INBOX, req, actor=Acting(member_id=who))


async def titles(client: ServiceClient, who: UUID) -> list[str]:
    return [i.title for i in (await inbox(client, who)).items if i.kind != "welcome"]


async def shows(client: ServiceClient, who: UUID, title: str) -> bool:
    return title in await titles(client, who)


async def published_story(client: ServiceClient, author: Teller) -> UUID:
    mod = Teller(client, "Mo", "moderator")
    posted = await author.submit()
    await mod.call("claim", s.Done, item_id=posted.id)
    await mod.moderate(posted.id)
    return posted.id


async def test_five_encouragements_make_one_item_naming_three_and_the_reporter_stays_unknown(
    client: ServiceClient, settings: Settings
) -> None:
    db = settings.database_url or ""
    ana = Teller(client, "Ana", member_id=(await register(client, "Ana", db)).id)
    story = await published_story(client, ana)
    await eventually(lambda: shows(client, ana.id, "Your story was approved"))
    readers = [await register(client, name, db) for name in ("Bo", "Cy", "Di", "Ed", "Flo")]
    for person in readers:
        await Teller(client, person.name, member_id=person.id).call("encourage", s.Done, story_id=story, kind="proud")
    await Teller(client, "Gus").call("report", s.Reported, item_id=story, reason="harmful")
    want = "Bo, Cy, Di and 2 others are proud of your story"
    await eventually(lambda: shows(client, ana.id, want))
    view = await inbox(client, ana.id)
    assert [i.title for i in view.items if i.kind == "encouraged"] == [want]
    assert not any("report" in (i.title + i.body).lower() or "Gus" in i.title for i in view.items)
    for reader in readers:
        assert await titles(client, reader.id) == []


async def test_a_redelivered_event_duplicates_nothing(client: ServiceClient, settings: Settings) -> None:
    ana = Teller(client, "Ana")
    story = await published_story(client, ana)
    await Teller(client, "Bo").call("encourage", s.Done, story_id=story, kind="me-too")
    await eventually(lambda: shows(client, ana.id, "Someone said “me too” to your story"))
    before = await inbox(client, ana.id)
    db = settings.database_url or ""
    row = await asyncpg_fetchrow(
        db,
        "SELECT global_position, transaction_id::text::bigint AS transaction_id, event_id, stream_id,"
        " stream_version, event_type, schema_version, data::text AS data, metadata::text AS metadata, recorded_at"
        " FROM stories.events WHERE event_type = 'stories.encouraged.v1'",
    )
    fields = dict(row)
    event = RecordedEvent(
        **{k: v for k, v in fields.items() if k not in ("data", "metadata")},
        data=msgspec.Raw(row["data"].encode()),
        metadata=msgspec.json.decode(row["metadata"], type=Metadata),
    )
    pool = await create_pool(db, schema="notifications")
    nc = await connect(settings.servers()[1], name="redeliver")
    try:
        ctx = ServiceContext(settings=settings, pool=pool, nc=nc, store=EventStore("notifications", SERVICE.registry))
        runner = next(r for r in consumer_runners(SERVICE, ctx) if r.spec.durable.endswith("inbox-stories"))
        assert await runner.apply(event) is False  # the kernel recorded it as processed with its effect
        await runner.apply_many([event])
    finally:
        await nc.close()
        await pool.close()
    assert (await inbox(client, ana.id)).items == before.items


async def asyncpg_fetchrow(db: str, sql: str) -> asyncpg.Record:
    conn = await asyncpg.connect(db)
    try:
        row = await conn.fetchrow(sql)
        assert row is not None
        return row
    finally:
        await conn.close()


async def test_moderation_outcomes_and_the_reach_out_go_to_the_writer_only(
    client: ServiceClient, settings: Settings
) -> None:
    lee, mod, bo = Teller(client, "Lee"), Teller(client, "Mo", "moderator"), Teller(client, "Bo")
    urgent = await lee.submit("Tonight", "I want to end my life tonight, I have the pills ready.")
    template = DEFAULT_TEMPLATES[0].template_id
    await mod.call("reach_out", s.Done, item_id=urgent.id, template_id=template, personal="We're here for you.")
    await eventually(lambda: shows(client, lee.id, "A moderator sent you a message"))
    other = await bo.submit()
    await mod.call("claim", s.Done, item_id=other.id)
    await mod.moderate(other.id)
    await mod.moderate(other.id, "remove", reason="personal-details", guidance="Please leave out the phone number.")
    await eventually(lambda: shows(client, bo.id, "Your story was removed"))
    removed = next(i for i in (await inbox(client, bo.id)).items if i.kind == "removed")
    assert "Shares personal details" in removed.body and "phone number" in removed.body
    assert await titles(client, mod.id) == []
    assert "A moderator sent you a message" not in await titles(client, bo.id)


async def test_supporters_hear_while_they_support_and_nothing_after_revocation(
    client: ServiceClient, settings: Settings
) -> None:
    db = settings.database_url or ""
    robin, kim = await register(client, "Robin", db), await register(client, "Kim", db)
    await robin.call("invite", j.Saved, pseudonym="kim", role="keeper")
    await eventually(lambda: shows(client, kim.id, "Robin invited you to support their journal"))
    jid = (await robin.timeline()).journal.journal_id
    await kim.call("respond", j.Saved, journal_id=jid, accept=True)
    await eventually(lambda: shows(client, robin.id, "Kim joined as your supporter"))
    await robin.call("propose_stage", j.Saved, stage="kept_together")
    await eventually(lambda: shows(client, kim.id, "Robin moved their journal to a new stage"))
    await kim.call("record", j.Saved, journal_id=jid, entry={"kind": "victory", "text": "secret walk"})
    await kim.call("observe", j.Saved, journal_id=jid, text="You went out twice this week")
    await eventually(lambda: shows(client, robin.id, "Kim noticed some progress you may not see"))
    assert "Kim wrote an entry for you" in await titles(client, robin.id)
    await robin.call("remove_supporter", j.Saved, supporter_id=kim.id)
    await robin.call("propose_stage", j.Saved, stage="member_keeps")
    lee = await register(client, "Lee", db)
    await robin.call("invite", j.Saved, pseudonym="lee", role="encourager")
    await eventually(lambda: shows(client, lee.id, "Robin invited you to support their journal"))
    assert (await titles(client, kim.id)).count("Robin moved their journal to a new stage") == 1
    everything = " ".join(i.title + i.body for i in (await inbox(client, robin.id)).items)
    assert "secret walk" not in everything and "twice this week" not in everything


async def test_read_marks_are_ones_own_and_muted_stories_make_no_items(client: ServiceClient) -> None:
    ana, bo = Teller(client, "Ana"), Teller(client, "Bo")
    story = await published_story(client, ana)
    await eventually(lambda: shows(client, ana.id, "Your story was approved"))
    item = next(i for i in (await inbox(client, ana.id)).items if i.kind == "approved")
    with pytest.raises(NotFound):
        await client.ask(
            n.MARK_READ, n.ReadRequest(notification_id=item.notification_id), actor=Acting(member_id=bo.id)
        )
    with pytest.raises(NotFound):
        await client.ask(n.MARK_READ, n.ReadRequest(notification_id=uuid4()), actor=Acting(member_id=ana.id))
    done = await client.ask(
        n.MARK_READ, n.ReadRequest(notification_id=item.notification_id), actor=Acting(member_id=ana.id)
    )
    assert done.marked == 1
    muted = await client.ask(
        n.MUTE, n.MuteRequest(target_kind="story", target_id=story), actor=Acting(member_id=ana.id)
    )
    assert muted.muted
    await bo.call("encourage", s.Done, story_id=story, kind="proud")
    await Teller(client, "Cy").call("encourage", s.Done, story_id=story, kind="helped")
    marker = await bo.submit()  # a later event on the same consumer: once it is applied, so are the cheers
    mod = Teller(client, "Mo", "moderator")
    await mod.call("claim", s.Done, item_id=marker.id)
    await mod.moderate(marker.id)
    await eventually(lambda: shows(client, bo.id, "Your story was approved"))
    assert [i.kind for i in (await inbox(client, ana.id)).items if i.kind == "encouraged"] == []
    unread = await client.ask(n.UNREAD, n.UnreadRequest(), actor=Acting(member_id=ana.id))
    assert unread.count == 0
    await client.ask(n.UNMUTE, n.MuteRequest(target_kind="story", target_id=story), actor=Acting(member_id=ana.id))
    await Teller(client, "Di").call("encourage", s.Done, story_id=story, kind="proud")
    await eventually(lambda: shows(client, ana.id, "Someone is proud of your story"))
    assert (await client.ask(n.UNREAD, n.UnreadRequest(), actor=Acting(member_id=ana.id))).count == 1
    assert (await client.ask(n.MARK_ALL_READ, n.ReadAllRequest(), actor=Acting(member_id=ana.id))).marked == 1


async def test_an_item_written_before_the_inbox_knew_its_actor_names_them_once_it_learns(
    client: ServiceClient, settings: Settings
) -> None:
    """Under load the inbox can write an item before its own consumer of registrations has learnt
    the actor's pseudonym: the item says "Someone". Learning it (what that consumer does, in its
    transaction) words the item again; an item of an actor it already knew is left as it is."""
    db = settings.database_url or ""
    ana = Teller(client, "Ana", member_id=(await register(client, "Ana", db)).id)
    story = await published_story(client, ana)
    bo, cy = Teller(client, "Bo"), Teller(client, "Cy")  # not yet known to the inbox
    await bo.call("encourage", s.Done, story_id=story, kind="me-too")
    await eventually(lambda: shows(client, ana.id, "Someone said “me too” to your story"))
    await cy.call("encourage", s.Done, story_id=story, kind="proud")
    await eventually(lambda: shows(client, ana.id, "Someone is proud of your story"))
    pool = await create_pool(db, schema="notifications")
    try:
        async with pool.acquire() as conn, conn.transaction():
            await followed.remember_person(conn, bo.id, "Bo")
            await followed.remember_person(conn, bo.id, "Not Bo")  # known already: nothing changes
    finally:
        await pool.close()
    assert await shows(client, ana.id, "Bo said “me too” to your story")
    assert await shows(client, ana.id, "Someone is proud of your story")  # Cy is still unknown


async def test_an_item_worded_while_its_actor_is_learnt_names_them(client: ServiceClient, settings: Settings) -> None:
    """The item's transaction finds no pseudonym for its actor while another transaction learns
    it: learning waits for the item, then words it again, so the item never keeps "Someone"."""
    db = settings.database_url or ""
    ana = Teller(client, "Ana", member_id=(await register(client, "Ana", db)).id)
    story = await published_story(client, ana)
    dee = uuid4()  # not yet known to the inbox
    notice = Notice(member_id=ana.id, kind="encouraged", about="story", about_id=story, actor_id=dee,
                    variant="proud", grouped=True)  # fmt: skip
    event = noted(notice, uuid4(), dt.datetime.now(dt.UTC))
    pool = await create_pool(db, schema="notifications")
    try:
        async with pool.acquire() as wording, pool.acquire() as learning:
            async with wording.transaction():
                assert await forgetting.actor_name(wording, event) == ""
                learn = asyncio.create_task(_learn(learning, dee, "Dee"))
                await eventually(lambda: _waits_for_a_lock(pool, learning))  # for the item being worded
                assert not learn.done()
                await INBOX.apply(wording, event)
            await asyncio.wait_for(learn, 10)
    finally:
        await pool.close()
    assert await shows(client, ana.id, "Dee is proud of your story")


async def test_an_item_naming_someone_who_has_left_takes_no_lock_on_learning_them(
    client: ServiceClient, settings: Settings
) -> None:
    """No pseudonym is ever learnt for a member who has left, so wording an item that names them
    waits for no learning: it says "a former member" and holds no advisory lock."""
    db = settings.database_url or ""
    ana = Teller(client, "Ana", member_id=(await register(client, "Ana", db)).id)
    story = await published_story(client, ana)
    gone, unknown = uuid4(), uuid4()
    pool = await create_pool(db, schema="notifications")
    try:
        await pool.execute("INSERT INTO erased (member_id, erased_at) VALUES ($1, now())", gone)
        held = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()"
        for actor, name, locks in ((gone, PLACEHOLDER_NAME, 0), (unknown, "", 1)):
            notice = Notice(member_id=ana.id, kind="encouraged", about="story", about_id=story, actor_id=actor,
                            variant="proud", grouped=True)  # fmt: skip
            async with pool.acquire() as conn, conn.transaction():
                assert await forgetting.actor_name(conn, noted(notice, uuid4(), dt.datetime.now(dt.UTC))) == name
                assert await conn.fetchval(held) == locks
    finally:
        await pool.close()


async def _waits_for_a_lock(pool: asyncpg.Pool, conn: asyncpg.Connection) -> bool:
    waiting = await pool.fetchval(
        "SELECT wait_event = 'advisory' FROM pg_stat_activity WHERE pid = $1", conn.get_server_pid()
    )
    return bool(waiting)


async def _learn(conn: asyncpg.Connection, member: UUID, pseudonym: str) -> None:
    async with conn.transaction():
        await followed.remember_person(conn, member, pseudonym)
