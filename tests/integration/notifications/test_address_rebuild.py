"""What the inbox keeps of other services' events to address its items (people, posts, journals
and their supporters, time zones, when a member last wrote) is rebuilt from the producers'
streams while the service runs: wiped and rebuilt it holds the same rows, the rebuild tells
nobody anything again, and the live consumers go on meanwhile. Real PostgreSQL and NATS."""

from __future__ import annotations

import asyncio

import asyncpg
import msgspec
import pytest

from services.notifications.domain.preferences import DEFAULTS
from services.notifications.main import SERVICE
from shared.bus.rpc import ServiceClient
from shared.contracts import accounts as acc
from shared.contracts import journal as j
from shared.contracts import notification_prefs as p
from shared.contracts import notifications as n
from shared.contracts import stories as s
from shared.service import ServiceContext, consumed_read_models, consumer_spec, rebuild_consumed
from shared.settings import Settings
from shared.testing.plugin import eventually
from tests.integration.notifications.test_inbox import published_story
from tests.support.people import Person, register
from tests.support.rows import Rows, rows_of
from tests.support.stories import Teller

pytestmark = [pytest.mark.integration, pytest.mark.timeout(120)]
MODELS = {"people": ("people",), "posts": ("posts",), "journals": ("journals", "supporters"),
          "zones": ("zones",), "last_wrote": ("last_wrote",)}  # fmt: skip
TABLES = [t for tables in MODELS.values() for t in tables]


async def dump(pool: asyncpg.Pool) -> Rows:
    return await rows_of(pool, TABLES)


async def told(pool: asyncpg.Pool) -> tuple[int, int, int]:
    """What the service has told anyone: its log, its inbox, its jobs."""
    return (
        await pool.fetchval("SELECT count(*) FROM events"),
        await pool.fetchval("SELECT count(*) FROM inbox"),
        await pool.fetchval("SELECT count(*) FROM jobs"),
    )


async def rebuild_all(ctx: ServiceContext) -> dict[str, int]:
    consumed = consumed_read_models(SERVICE)
    return {name: await rebuild_consumed(SERVICE, consumed[name], ctx) for name in MODELS}


async def _life(client: ServiceClient, db: str) -> tuple[Person, Person]:
    """A story and a reply; a journal with a keeper, a handover proposal, a supporter who joined
    and was removed, an invitation declined; a time zone; entries by the member and for them."""
    robin, kim, lee, cy = [await register(client, name, db) for name in ("Robin", "Kim", "Lee", "Cy")]
    await _hear_replies(client, robin, "off")  # Robin hears nothing of replies while this one comes
    story = await published_story(client, Teller(client, "Robin", member_id=robin.id))
    reply = await Teller(client, "Kim", member_id=kim.id).call("reply", s.Posted, story_id=story, body="Well done!")
    mod = Teller(client, "Mo", "moderator")
    await mod.call("claim", s.Done, item_id=reply.id)
    await mod.moderate(reply.id)  # published: Robin would hear of it, had they not chosen otherwise
    await robin.call("invite", j.Saved, pseudonym="kim", role="keeper")
    jid = (await robin.timeline()).journal.journal_id
    await kim.call("respond", j.Saved, journal_id=jid, accept=True)
    await robin.call("propose_stage", j.Saved, stage="kept_together")  # the member's own: at once
    await kim.call("record", j.Saved, journal_id=jid, entry={"kind": "victory", "text": "a walk together"})
    await kim.call("propose_stage", j.Saved, journal_id=jid, stage="member_keeps")  # waits for an answer
    await robin.call("invite", j.Saved, pseudonym="lee", role="encourager")
    await lee.call("respond", j.Saved, journal_id=jid, accept=True)
    await robin.call("remove_supporter", j.Saved, supporter_id=lee.id)
    await robin.call("invite", j.Saved, pseudonym="cy", role="encourager")
    await cy.call("respond", j.Saved, journal_id=jid, accept=False)
    await robin.call("record", j.Saved, entry={"kind": "victory", "text": "called a friend"})
    await client.ask(acc.SET_TIME_ZONE, acc.TimeZoneRequest(time_zone="Europe/Lisbon"), actor=robin.acting)
    return robin, kim


async def _hear_replies(client: ServiceClient, who: Person, channel: p.Channel) -> None:
    chosen = msgspec.structs.replace(DEFAULTS, channels={"replied": channel})
    await client.ask(n.SET_PREFERENCES, p.SetPreferencesRequest(preferences=chosen), actor=who.acting)


async def _settled(pool: asyncpg.Pool, robin: Person, kim: Person) -> bool:
    """Every event above has reached the notifications consumers."""
    return bool(
        await pool.fetchval("SELECT count(*) FROM people") >= 4
        and await pool.fetchval("SELECT count(*) FROM posts") >= 2
        and await pool.fetchval("SELECT true FROM inbox WHERE member_id = $1 AND kind = 'approved'", kim.id)
        and await pool.fetchval("SELECT proposed_by FROM journals WHERE owner_id = $1", robin.id) == kim.id
        and await pool.fetchval("SELECT count(*) FROM supporters") == 1
        and await pool.fetchval("SELECT time_zone FROM zones WHERE member_id = $1", robin.id)
        and await pool.fetchval("SELECT true FROM last_wrote WHERE member_id = $1", robin.id)
    )


async def _drained(ctx: ServiceContext) -> bool:
    """Every consumer of the notifications service has applied all its stream holds."""
    js = ctx.nc.jetstream()
    for sub in SERVICE.subscriptions:
        spec = consumer_spec(ctx.settings.nats_prefix, SERVICE.name, sub)
        info = await js.consumer_info(spec.stream, spec.durable)
        if info.num_pending or info.num_ack_pending:
            return False
    return True


async def test_wiped_and_rebuilt_from_the_streams_the_same_rows_while_the_service_runs(
    ctx: ServiceContext, client: ServiceClient, settings: Settings
) -> None:
    assert {name: consumed_read_models(SERVICE)[name].tables for name in MODELS} == MODELS
    robin, kim = await _life(client, settings.database_url or "")
    pool = ctx.pool
    await eventually(lambda: _settled(pool, robin, kim), timeout=20)
    await eventually(lambda: _drained(ctx), timeout=20)
    await _hear_replies(client, robin, "in_app")  # now: a replay must not tell of the reply after all
    live, before = await dump(pool), await told(pool)
    assert all(live.values()), {t: len(rows) for t, rows in live.items()}
    for table in TABLES:
        await pool.execute(f"DELETE FROM {table}")  # lost
    replayed = await rebuild_all(ctx)
    assert all(replayed.values()), replayed
    assert await dump(pool) == live
    assert await told(pool) == before  # nobody was told anything again
    assert await pool.fetchval(r"SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'notifications\_rebuild%'") == 0

    async def go_on() -> list[Person]:  # members join and choose zones while the rebuild runs
        joined = []
        for number in range(3):
            person = await register(client, f"Newcomer {number}", settings.database_url or "")
            await client.ask(acc.SET_TIME_ZONE, acc.TimeZoneRequest(time_zone="Asia/Tokyo"), actor=person.acting)
            joined.append(person)
        return joined

    newcomers, _ = await asyncio.gather(go_on(), rebuild_all(ctx))

    async def caught_up() -> Rows | None:
        rows = await dump(pool)
        zones = {r[0] for r in rows["zones"]}
        return rows if all(p.id in zones for p in newcomers) else None

    after = await eventually(caught_up, timeout=20)
    assert {p.id for p in newcomers} <= {r[0] for r in after["people"]}
    assert {t: [r for r in after[t] if r in live[t]] for t in TABLES} == live
    await rebuild_all(ctx)  # quiet again: rebuilt from scratch, the same as the live consumers made it
    assert await dump(pool) == after
