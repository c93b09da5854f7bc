"""A member leaves: the notifications service follows accounts.member_erased, with real PostgreSQL, NATS
and SMTP, erased the way the operator does it (``accounts.erase_now``, as ``smallwins erase`` asks).

Their inbox, mutes, preferences, jobs, mail and key go, and every row that named them; items of
others that named them say "a former member", and so does a rebuild; nothing the service writes
names anyone in clear; a redelivery, a second erasure and late events about them change nothing;
rebuilding every read model brings nothing of theirs back."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID, uuid4

import asyncpg
import msgspec
import pytest

from services.notifications import links
from services.notifications.domain.preferences import DEFAULTS
from services.notifications.main import SERVICE
from shared.bus.rpc import ServiceClient
from shared.contracts import accounts as acc
from shared.contracts import journal as j
from shared.contracts import notification_prefs as p
from shared.contracts import notifications as n
from shared.contracts import stories as s
from shared.contracts.common import Acting
from shared.contracts.erasure import APPLIED, MEMBER_ERASED
from shared.crypto import KeyRing
from shared.eventstore.store import EventStore, Position
from shared.messages import EventRegistry, RecordedEvent
from shared.projections import rebuild
from shared.service import ServiceContext, consumed_read_models, consumer_runners, rebuild_consumed
from shared.settings import Settings
from shared.testing.plugin import MailBox, eventually
from smallwins.servers import operator
from tests.integration.notifications.test_inbox import published_story, shows
from tests.integration.notifications.test_notification_mail import Clock, confirmed, tools
from tests.support.member_erased import dump, erased_in, opened, openers, stream_messages
from tests.support.people import IN_THE_INBOX, Person, is_known, register
from tests.support.rows import Rows, rows_of
from tests.support.stories import Teller

pytestmark = [pytest.mark.integration, pytest.mark.timeout(180)]
GONE = "Zqxmoss"  # the marker is in their pseudonym, and so in every word that would name them
THEIRS = {
    "inbox": "member_id", "inbox_heads": "member_id", "mutes": "member_id", "preferences": "member_id",
    "jobs": "member_id", "mail_outbox": "member_id", "people": "member_id", "posts": "author_id",
    "journals": "owner_id", "supporters": "supporter_id", "zones": "member_id", "last_wrote": "member_id",
    "member_keys": "member_id", "idempotency": "actor_id",
}  # fmt: skip
PROUD = "Bo and Cy are proud of your story"


@dataclass
class World:
    gone: UUID
    ana: Person
    bo: Person
    journal: UUID  # the journal Ana supports, which was Zqxmoss's


async def _world(client: ServiceClient, settings: Settings, ctx: ServiceContext, box: MailBox) -> World:
    """Zqxmoss encourages Ana's story beside Bo and Cy, invites Ana to support their journal and
    supports Bo's, has a story Bo encourages (mailed to them), mutes, chooses, writes."""
    db = settings.database_url or ""
    gone = await confirmed(client, GONE, settings, box)
    # the inbox names people as it knows them when it writes an item: everyone known first
    ana, bo, cy = [await register(client, name, db, known_to=IN_THE_INBOX) for name in ("Ana", "Bo", "Cy")]
    await eventually(lambda: is_known(db, gone, IN_THE_INBOX))
    me = Acting(member_id=gone)
    chosen = msgspec.structs.replace(
        DEFAULTS, channels={**DEFAULTS.channels, "encouraged": "email"}, reminder=True, quiet_hours=False
    )
    await client.ask(n.SET_PREFERENCES, p.SetPreferencesRequest(preferences=chosen), actor=me)
    await client.ask(acc.SET_TIME_ZONE, acc.TimeZoneRequest(time_zone="Europe/Lisbon"), actor=me)
    anas = await published_story(client, Teller(client, "Ana", member_id=ana.id))
    for who in (gone, bo.id, cy.id):
        await Teller(client, "x", member_id=who).call("encourage", s.Done, story_id=anas, kind="proud")
    await eventually(lambda: shows(client, ana.id, f"{GONE}, {PROUD}"), timeout=15)
    theirs = await published_story(client, Teller(client, GONE, member_id=gone))
    await Teller(client, "Bo", member_id=bo.id).call("encourage", s.Done, story_id=theirs, kind="proud")
    await eventually(lambda: shows(client, gone, "Bo is proud of your story"), timeout=15)
    await client.ask(n.MUTE, n.MuteRequest(target_kind="story", target_id=anas), actor=me)
    person = Person(client, acc.MemberView(member_id=gone, pseudonym=GONE, roles=("member",)))
    await person.call("invite", j.Saved, pseudonym="ana", role="encourager")
    journal = (await person.timeline()).journal.journal_id
    await eventually(lambda: shows(client, ana.id, f"{GONE} invited you to support their journal"), timeout=15)
    await ana.call("respond", j.Saved, journal_id=journal, accept=True)
    await eventually(lambda: shows(client, gone, "Ana joined as your supporter"), timeout=15)
    await bo.call("invite", j.Saved, pseudonym=GONE.lower(), role="encourager")
    bos = (await bo.timeline()).journal.journal_id
    await person.call("respond", j.Saved, journal_id=bos, accept=True)
    await eventually(lambda: shows(client, bo.id, f"{GONE} joined as your supporter"), timeout=15)
    await person.call("record", j.Saved, entry={"kind": "victory", "text": "a walk"})
    pool = ctx.pool
    await eventually(lambda: pool.fetchval("SELECT true FROM last_wrote WHERE member_id = $1", gone), timeout=15)
    await eventually(lambda: pool.fetchval("SELECT true FROM zones WHERE member_id = $1", gone), timeout=15)
    scheduler, sender = tools(pool, client, settings, Clock())  # the mail about Bo's encouragement, and a reminder
    assert await scheduler.run_due() >= 1
    assert await sender.run_due() >= 1
    assert any(m["Subject"] == "Bo is proud of your story" for m in box.to(f"{GONE.lower()}@example.org"))
    return World(gone=gone, ana=ana, bo=bo, journal=journal)


async def _erase(client: ServiceClient, settings: Settings, member: UUID) -> None:
    """The operator erases them at once; notifications has applied it, and accounts knows."""
    done = await client.ask(acc.ERASE_NOW, acc.EraseNowRequest(pseudonym=GONE), actor=operator())
    assert done.member_id == member
    await erased_in(settings.database_url or "", "notifications", member)

    async def noted_by_accounts() -> bool:
        conn = await asyncpg.connect(settings.database_url)
        try:
            sql = "SELECT true FROM accounts.erasure_applied WHERE member_id = $1 AND service = 'notifications'"
            return bool(await conn.fetchval(sql, member))
        finally:
            await conn.close()

    await eventually(noted_by_accounts, timeout=15)


async def _left(pool: asyncpg.Pool, member: UUID) -> dict[str, int]:
    return {t: await pool.fetchval(f"SELECT count(*) FROM {t} WHERE {c} = $1", member) for t, c in THEIRS.items()}


async def _titles(pool: asyncpg.Pool, member: UUID) -> list[tuple[str, list[str]]]:
    rows = await pool.fetch("SELECT title, names FROM inbox WHERE member_id = $1 ORDER BY title", member)
    return [(r["title"], list(r["names"])) for r in rows]


async def test_the_member_leaves_the_inbox_and_others_items_name_a_former_member(
    client: ServiceClient, settings: Settings, ctx: ServiceContext, sw_mail: MailBox
) -> None:
    w = await _world(client, settings, ctx, sw_mail)
    pool = ctx.pool
    assert all(count > 0 for t, count in (await _left(pool, w.gone)).items() if t != "idempotency")

    await _erase(client, settings, w.gone)

    assert await _left(pool, w.gone) == dict.fromkeys(THEIRS, 0)
    assert not await pool.fetchval("SELECT true FROM supporters WHERE journal_id = $1", w.journal)
    ana = await _titles(pool, w.ana.id)
    assert (f"A former member, {PROUD}", ["a former member", "Bo", "Cy"]) in ana
    assert ("A former member invited you to support their journal", ["a former member"]) in ana
    assert ("Your story was approved", []) in ana  # what did not name them is as it was
    assert ("A former member joined as your supporter", ["a former member"]) in await _titles(pool, w.bo.id)
    assert await client.ask(n.INBOX, n.InboxRequest(), actor=Acting(member_id=w.gone)) == n.InboxView(items=())

    published = [msgspec.json.decode(m, type=RecordedEvent) for m in await stream_messages(settings, "notifications")]
    (erased,) = [e for e in published if e.event_type == APPLIED["notifications"]]
    data = msgspec.json.decode(erased.data)
    assert set(data) == {"type", "member_id", "erased_at"} and data["member_id"] == str(w.gone)  # ids only

    # Nothing the service writes names anyone in clear: not the items it noted, not the welcomes.
    noted = await pool.fetch(
        "SELECT data FROM events WHERE event_type IN ('notifications.item_noted.v1', 'notifications.notification_created.v1')"
    )
    assert len(noted) >= 8 and all(msgspec.json.decode(r["data"]).get("actor_name", "") == "" for r in noted)
    for name in (GONE, "Ana", "Bo", "Cy"):
        assert not [r for r in noted if name in r["data"]], name
    text = dump(settings.database_url or "", schema="notifications")
    stream = b"\n".join(await stream_messages(settings, "notifications")).decode()
    for where, found in (("the schema", text), ("the stream", stream)):
        assert str(w.gone) in found, where  # their id stays...
        assert GONE not in found, where  # ...their name does not
        keys = await openers(settings.database_url or "", "notifications", KeyRing(settings.keys_path))
        assert not [t for t in opened(found, keys) if GONE in t], where
    assert await pool.fetchval("SELECT count(*) FROM parked_messages") == 0


async def _recorded(pool: asyncpg.Pool, schema: str, event_type: str, about: str) -> list[RecordedEvent]:
    """The events of ``event_type`` in ``schema``'s log whose data holds ``about``."""
    async with pool.acquire() as conn:
        found = await EventStore(schema, EventRegistry([])).read_committed(conn, Position(), 1000)
    return [e for e in found if e.event_type == event_type and about in bytes(e.data).decode()]


async def _state(pool: asyncpg.Pool) -> Rows:
    return await rows_of(pool, [*THEIRS, "erased"])


async def test_redeliveries_late_events_and_rebuilds_bring_nothing_of_theirs_back(
    client: ServiceClient, settings: Settings, ctx: ServiceContext, sw_mail: MailBox
) -> None:
    w = await _world(client, settings, ctx, sw_mail)
    pool = ctx.pool
    await _erase(client, settings, w.gone)
    after, events = await _state(pool), await pool.fetchval("SELECT count(*) FROM events")

    runners = {r.spec.durable.rsplit("_", 1)[-1]: r for r in consumer_runners(SERVICE, ctx)}
    (again,) = await _recorded(pool, "accounts", MEMBER_ERASED, str(w.gone))
    assert await runners["notifications-erasure"].apply(again) is False  # the same message: already done
    (joined,) = await _recorded(pool, "accounts", acc.MEMBER_REGISTERED, str(w.gone))
    clear = msgspec.json.encode({"type": acc.MEMBER_REGISTERED, "member_id": str(w.gone), "pseudonym": GONE})
    late = [  # each as a new message: a second erasure, and what others' events say of them, late
        ("notifications-erasure", again),
        *(("notifications-inbox-stories", e) for e in await _recorded(pool, "stories", "stories.encouraged.v1", str(w.gone))),
        *(("notifications-inbox-journal", e) for e in await _recorded(pool, "journal", "journal.supporter_invited.v1", str(w.gone))),
        *(("notifications-inbox-journal", e) for e in await _recorded(pool, "journal", "journal.supporter_joined.v1", str(w.gone))),
        ("notifications-welcome", joined),
        ("notifications-welcome", msgspec.structs.replace(joined, data=msgspec.Raw(clear))),  # as events of old
    ]  # fmt: skip
    assert len(late) >= 7  # their cheer and Bo's of their story; two invitations, two joinings
    for consumer, event in late:
        assert await runners[consumer].apply(msgspec.structs.replace(event, event_id=uuid4())) is True
    me, link = Acting(member_id=w.gone), links.signature(settings.secret_key, w.gone, "reminder")
    unsubscribe = p.UnsubscribeRequest(member_id=w.gone, what="reminder", signature=link, confirm=True)
    assert (await client.ask(n.UNSUBSCRIBE, unsubscribe)).done  # a link in a mail they kept: nothing to stop
    chosen = await client.ask(n.SET_PREFERENCES, p.SetPreferencesRequest(preferences=DEFAULTS), actor=me)
    assert (
        chosen.preferences
        == DEFAULTS
        == (await client.ask(n.PREFERENCES, p.PreferencesRequest(), actor=me)).preferences
    )
    assert not (await client.ask(n.MUTE, n.MuteRequest(target_kind="story", target_id=uuid4()), actor=me)).muted
    assert (await client.ask(n.MARK_ALL_READ, n.ReadAllRequest(), actor=me)).marked == 0
    assert (await client.ask(n.UNREAD, n.UnreadRequest(), actor=me)).count == 0
    assert await _state(pool) == after
    assert await pool.fetchval("SELECT count(*) FROM events") == events  # nobody was told, nothing was done

    store = EventStore("notifications", SERVICE.registry)
    for projection in SERVICE.projections:  # smallwins rebuild notifications inbox|mutes|preferences
        await rebuild(pool, store, projection)
    for sub in consumed_read_models(SERVICE).values():  # ... people|posts|journals|zones|last_wrote
        await rebuild_consumed(SERVICE, sub, ctx)
    assert await _state(pool) == after
    assert (f"A former member, {PROUD}", ["a former member", "Bo", "Cy"]) in await _titles(pool, w.ana.id)
    assert GONE not in dump(settings.database_url or "", schema="notifications")
    assert await pool.fetchval("SELECT count(*) FROM parked_messages") == 0
    await Teller(client, "Bo", member_id=w.bo.id).call(
        "encourage", s.Done, story_id=await _anas(pool, w), kind="me-too"
    )
    await eventually(lambda: shows(client, w.ana.id, "Bo said “me too” to your story"), timeout=15)


async def _anas(pool: asyncpg.Pool, w: World) -> UUID:
    story: UUID = await pool.fetchval("SELECT story_id FROM posts WHERE author_id = $1", w.ana.id)
    return story
