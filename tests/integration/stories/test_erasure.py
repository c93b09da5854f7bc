"""A member leaves: the stories service follows accounts.member_erased with real PostgreSQL and NATS.

Their stories, replies, encouragement, reports, messages, choices and trust go from every read model
in one transaction with stories.member_erased; others' stories keep others' replies; what only their
reports hid comes back; a moderator's decisions stay. A redelivery, a second erasure, late events and
late commands change nothing; a rebuild brings nothing back; no sealed token left opens to their words."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any
from uuid import UUID, uuid4, uuid5

import asyncpg
import msgspec
import pytest
import pytest_asyncio

from services.stories.crisis import DEFAULT_TEMPLATES
from shared.bus.connection import connect
from shared.bus.rpc import ServiceClient
from shared.bus.streams import event_stream, event_subject
from shared.contracts import moderation as mc
from shared.contracts import stories as s
from shared.crypto import KeyRing
from shared.errors import Forbidden, NotFound
from shared.settings import Settings
from shared.testing.plugin import eventually
from tests.support.member_erased import dump, erase, opened, openers, stream_messages
from tests.support.people import register
from tests.support.stories import Teller

pytestmark = pytest.mark.integration
MARK = "Zqx"  # in the leaver's pseudonym and in every word they write
GONE_ROWS = (
    ("posts", "author_id"), ("encouragements", "reader_id"), ("reports", "reporter_id"), ("readers", "member_id"),
    ("trust", "member_id"), ("people", "member_id"), ("messages", "member_id"), ("member_keys", "member_id"),
    ("idempotency", "actor_id"),
)  # fmt: skip


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """Reports hide a post at 0.6: a newcomer's report weighs 0.25, one with two approved posts 0.45."""
    return settings.with_(stories_hide_weight=0.6)


@dataclass
class World:
    gone: Teller
    ana: Teller
    bo: Teller
    cy: Teller
    mod: Teller
    ids: dict[str, UUID]


async def _approved(mod: Teller, author: Teller, title: str, body: str = "A small win, told plainly.") -> UUID:
    posted = await author.submit(title, body)
    await mod.moderate(posted.id)
    return posted.id


async def _reply(who: Teller, story: UUID, body: str) -> UUID:
    return (await who.call("reply", s.Posted, story_id=story, body=body)).id


async def _world(client: ServiceClient, settings: Settings) -> World:
    """Zqx (also a moderator) writes, replies, encourages, reports; others write and answer around them."""
    person = await register(client, f"{MARK} Moss", settings.database_url or "")
    gone = Teller(client, person.name, "moderator", member_id=person.id)
    ana, bo, cy, di = (Teller(client, n) for n in ("Ana", "Bo", "Cy", "Di"))
    mod = Teller(client, "Mo", "moderator")
    ids: dict[str, UUID] = {}
    for n in range(2):  # Di's two approved posts make her report weigh 0.45
        await _approved(mod, di, f"Di {n}")
    ids["a1"] = await _approved(gone, ana, "Ana walks")  # Zqx decided this one, as a moderator
    ids["a2"] = await _approved(mod, ana, "Ana sings")
    ids["a3"] = await _approved(mod, ana, "Ana cooks")
    for reporter, item in ((gone, "a2"), (di, "a2"), (gone, "a3"), (cy, "a3"), (di, "a3")):
        note = f"{MARK} thinks this is unkind" if reporter is gone else ""
        await reporter.call("report", s.Reported, item_id=ids[item], reason="unkind", note=note)
    ids["s1"] = await _approved(mod, gone, f"{MARK} first light", f"{MARK}: I opened the curtains today.")
    second = await gone.submit(f"{MARK} draft", f"{MARK}: a draft.")
    await gone.call(
        "revise", s.Posted, story_id=second.id, expected_version=1, story={"title": "t", "body": f"{MARK} b"}
    )
    ids["s2"] = second.id
    ids["bo_on_a1"] = await _reply(bo, ids["a1"], "Bo is proud of Ana")
    ids["gone_on_a1"] = await _reply(gone, ids["a1"], f"{MARK} is proud of Ana")
    ids["bo_on_s1"] = await _reply(bo, ids["s1"], "Bo is proud of you")
    for reply in ("bo_on_a1", "gone_on_a1", "bo_on_s1"):
        await mod.moderate(ids[reply])
    ids["cy_on_s1"] = await _reply(cy, ids["s1"], "Cy waits to be read")  # pending: in the queue
    await gone.call("encourage", s.Done, story_id=ids["a1"], kind="proud")
    await bo.call("encourage", s.Done, story_id=ids["a1"], kind="me-too")
    await gone.call("set_preferences", s.PreferencesView, hide=["grief"])
    urgent = await gone.submit(f"{MARK} tonight", "I want to end my life tonight, I have the pills ready.")
    await mod.call("reach_out", s.Done, item_id=urgent.id, template_id=DEFAULT_TEMPLATES[0].template_id)
    ids["urgent"] = urgent.id
    return World(gone=gone, ana=ana, bo=bo, cy=cy, mod=mod, ids=ids)


@pytest_asyncio.fixture
async def db(settings: Settings) -> AsyncIterator[asyncpg.Connection]:
    conn = await asyncpg.connect(settings.database_url, server_settings={"search_path": "stories, public"})
    yield conn
    await conn.close()


async def _erased(db: asyncpg.Connection, settings: Settings, member: UUID, applied: int = 1) -> None:
    """Erase ``member`` as accounts would, and wait until the stories service has applied it."""
    await erase(settings.database_url or "", member)
    consumer = f"{settings.nats_prefix}_stories-erasure"

    async def done() -> bool:
        seen = await db.fetchval("SELECT count(*) FROM processed_events WHERE consumer = $1", consumer)
        return bool(seen == applied)

    await eventually(done, timeout=15)


async def _left(db: asyncpg.Connection, member: UUID) -> dict[str, int]:
    """How many rows of each read model still name the member (none should)."""
    return {t: await db.fetchval(f"SELECT count(*) FROM {t} WHERE {c} = $1", member) for t, c in GONE_ROWS}


async def _snapshot(db: asyncpg.Connection) -> dict[str, list[dict[str, Any]]]:
    tables = ("posts", "encouragements", "reports", "readers", "trust", "people", "messages", "templates", "erased")
    found = {t: [dict(r) for r in await db.fetch(f"SELECT * FROM {t} ORDER BY 1, 2")] for t in tables}
    audit = "SELECT at, moderator_id, action, item_id, kind, reason, note FROM audit ORDER BY 1, 2, 3, 4"
    return {**found, "audit": [dict(r) for r in await db.fetch(audit)]}


async def test_the_member_leaves_every_read_model_and_others_keep_theirs(
    client: ServiceClient, settings: Settings, db: asyncpg.Connection
) -> None:
    w = await _world(client, settings)
    assert f"{MARK} first light" in await w.bo.titles()
    assert "Ana sings" not in await w.bo.titles() and "Ana cooks" not in await w.bo.titles()  # hidden by reports
    assert (await w.ana.call("story", s.StoryView, story_id=w.ids["a1"])).counts == {"proud": 1, "me-too": 1}
    assert any(a.moderator == w.gone.name for a in (await w.mod.call("audit", mc.AuditView)).items)

    await _erased(db, settings, w.gone.id)

    assert await _left(db, w.gone.id) == dict.fromkeys((t for t, _ in GONE_ROWS), 0)
    assert await db.fetchval("SELECT true FROM erased WHERE member_id = $1", w.gone.id)
    titles = await w.bo.titles()
    assert not [t for t in titles if MARK in t]
    assert "Ana sings" in titles  # only Zqx's report and one other hid it: 0.45 < 0.6, it is back
    assert "Ana cooks" not in titles  # Cy's and Di's still weigh 0.7: hidden until a moderator decides
    for reader in (w.bo, w.mod, w.ana):
        with pytest.raises(NotFound):
            await reader.call("story", s.StoryView, story_id=w.ids["s1"])
    with pytest.raises(NotFound):
        await w.mod.call("item", mc.QueueItem, item_id=w.ids["urgent"])
    a1 = await w.ana.call("story", s.StoryView, story_id=w.ids["a1"])
    assert [r.id for r in a1.replies] == [w.ids["bo_on_a1"]] and a1.counts == {"me-too": 1}
    assert a1.status == "published"  # Zqx approved it as a moderator: the decision stays
    queue = {i.id: i for i in (await w.mod.queue(limit=50)).items}
    assert not {w.ids["s2"], w.ids["urgent"], w.ids["cy_on_s1"]} & queue.keys()  # nothing left to answer
    assert queue[w.ids["a2"]].report_weight == pytest.approx(0.45) and not queue[w.ids["a2"]].hidden
    assert [r.count for r in queue[w.ids["a3"]].reports] == [2]
    cy_mine = await w.cy.call("mine", s.MineView)
    assert w.ids["cy_on_s1"] in [i.id for i in cy_mine.items]  # Cy's own reply stays Cy's
    audit = (await w.mod.call("audit", mc.AuditView, limit=50)).items
    assert not [a for a in audit if a.moderator == w.gone.name]
    assert any(
        a.item_id == w.ids["a1"] and a.action == "approved" and a.moderator == "a former moderator" for a in audit
    )
    assert any(a.item_id == w.ids["s1"] and a.action == "approved" and a.title == "" for a in audit)  # by id

    nc = await connect(settings.servers()[1], name="test")
    try:
        subject = event_subject(settings.nats_prefix, s.SERVICE, "stories.member_erased.v1")
        published = await nc.jetstream().get_last_msg(event_stream(settings.nats_prefix, s.SERVICE).name, subject)
    finally:
        await nc.close()
    data = msgspec.json.decode(published.data or b"{}")["data"]
    assert UUID(data["member_id"]) == w.gone.id and set(data) == {"type", "member_id", "erased_at"}

    with pytest.raises(NotFound):  # nothing more happens to what they wrote
        await w.bo.call("encourage", s.Done, story_id=w.ids["s1"], kind="proud")
    with pytest.raises(NotFound):
        await w.bo.call("reply", s.Posted, story_id=w.ids["s1"], body="Still here?")
    with pytest.raises(NotFound):
        await w.mod.moderate(w.ids["s2"])
    with pytest.raises(Forbidden):  # nor do they do anything more here
        await w.gone.submit("Back", "A late story.")
    with pytest.raises(Forbidden):
        await w.gone.call("encourage", s.Done, story_id=w.ids["a1"], kind="proud")
    assert await _left(db, w.gone.id) == dict.fromkeys((t for t, _ in GONE_ROWS), 0)


async def test_a_redelivery_a_second_erasure_and_a_late_event_change_nothing_and_a_rebuild_stays_clean(
    client: ServiceClient, settings: Settings, db: asyncpg.Connection
) -> None:
    from services.stories.consumers import people as who_is_who
    from services.stories.erasing import eraser
    from services.stories.main import SERVICE
    from shared.eventstore.store import EventStore, Position
    from shared.projections import rebuild, rebuild_from_stream
    from shared.service import consumer_spec
    from tests.support.member_erased import ACCOUNTS, MemberRegistered, append_to_accounts

    pat = await register(client, "Pat", settings.database_url or "")  # who stays known through a rebuild
    w = await _world(client, settings)
    await _erased(db, settings, w.gone.id)
    after = await _snapshot(db)

    await _erased(db, settings, w.gone.id, applied=2)  # accounts says it again (another event)
    first = next(e for e in await ACCOUNTS.read_committed(db, Position(), 500) if e.event_type.endswith("erased.v1"))
    store = EventStore("stories", SERVICE.registry)
    async with db.transaction():  # the same message once more, past the consumer's own record of it
        await eraser(store, settings.stories_hide_weight)(db, first)
    late = MemberRegistered(member_id=w.gone.id, registered_at=first.recorded_at)
    await append_to_accounts(settings.database_url or "", f"member-{w.gone.id}", late)
    people = f"{settings.nats_prefix}_stories-people"

    processed = "SELECT count(*) FROM processed_events WHERE consumer = $1"
    await eventually(lambda: _at_least(db, processed, people, 3), timeout=15)  # Pat, Zqx, and the late one
    assert await _snapshot(db) == after
    assert await db.fetchval("SELECT count(*) FROM events WHERE event_type = 'stories.member_erased.v1'") == 1
    erased = await db.fetchval("SELECT event_id FROM events WHERE event_type = 'stories.member_erased.v1'")
    assert erased == uuid5(first.event_id, "stories")  # derived from the cause: a repeat could not append twice
    assert await db.fetchval("SELECT count(*) FROM parked_messages") == 0

    pool = await asyncpg.create_pool(settings.database_url, min_size=1, max_size=2)
    nc = await connect(settings.servers()[1], name="test")
    try:
        for projection in SERVICE.projections:
            await rebuild(pool, store, projection)
        known = next(sub for sub in SERVICE.subscriptions if sub.tables)  # who is who, from accounts' events
        spec = consumer_spec(settings.nats_prefix, "stories", known)
        await rebuild_from_stream(
            pool, nc.jetstream(), schema="stories", tables=known.tables, stream=spec.stream,
            filter_subjects=spec.filter_subjects, handler=who_is_who(client),
        )  # fmt: skip
    finally:
        await nc.close()
        await pool.close()
    assert await _snapshot(db) == after
    assert await _left(db, w.gone.id) == dict.fromkeys((t for t, _ in GONE_ROWS), 0)
    assert [r["member_id"] for r in after["people"]] == [pat.id]
    assert "Ana sings" in await w.bo.titles() and not [t for t in await w.bo.titles() if MARK in t]


async def test_a_pseudonym_missing_from_accounts_event_is_asked_of_accounts(
    client: ServiceClient, settings: Settings, db: asyncpg.Connection
) -> None:
    from tests.support.member_erased import MemberRegistered, append_to_accounts

    robin = await register(client, "Robin", settings.database_url or "")
    await eventually(lambda: db.fetchval("SELECT true FROM people WHERE member_id = $1", robin.id))
    await db.execute("DELETE FROM people WHERE member_id = $1", robin.id)  # as if the service never heard of Robin
    event = MemberRegistered(member_id=robin.id, registered_at=await _now(db))  # accounts names nobody now
    await append_to_accounts(settings.database_url or "", f"member-{robin.id}", event)
    assert (
        await eventually(lambda: db.fetchval("SELECT pseudonym FROM people WHERE member_id = $1", robin.id)) == "Robin"
    )
    stranger = MemberRegistered(member_id=uuid4(), registered_at=await _now(db))  # accounts knows them not
    await append_to_accounts(settings.database_url or "", f"member-{stranger.member_id}", stranger)
    people = f"{settings.nats_prefix}_stories-people"
    processed = "SELECT count(*) FROM processed_events WHERE consumer = $1"
    await eventually(lambda: _at_least(db, processed, people, 3))
    assert not await db.fetchval("SELECT true FROM people WHERE member_id = $1", stranger.member_id)
    assert await db.fetchval("SELECT count(*) FROM parked_messages") == 0


async def _at_least(db: asyncpg.Connection, sql: str, arg: object, n: int) -> bool:
    return bool(await db.fetchval(sql, arg) >= n)


async def _now(db: asyncpg.Connection) -> Any:
    return await db.fetchval("SELECT now()")


async def test_no_sealed_token_left_opens_to_their_words(
    client: ServiceClient, settings: Settings, db: asyncpg.Connection
) -> None:
    w = await _world(client, settings)
    await _erased(db, settings, w.gone.id)
    schema = dump(settings.database_url or "", schema="stories")
    published = "\n".join(m.decode() for m in await stream_messages(settings, s.SERVICE))
    keys = await openers(settings.database_url or "", "stories", KeyRing(settings.keys_path))
    for where, text in (("the stories schema", schema), ("the stories stream", published)):
        assert str(w.gone.id) in text, where  # their ids stay...
        assert MARK not in text, where  # ...but not their words, in clear
        readable = opened(text, keys)
        assert not [t for t in readable if MARK in t], where  # nor in anything the keys left open
        assert "Bo is proud of you" in readable and "Ana walks" in readable, where  # while others' words stay
