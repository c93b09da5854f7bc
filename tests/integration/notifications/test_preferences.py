"""Preferences with real PostgreSQL and NATS: gentle defaults, a choice per kind kept as events
and rebuilt the same, bad input refused with nothing changed, one-click unsubscribe by a signed
link; choices and links from before kinds (per topic) still fold and work."""

from __future__ import annotations

import json
from pathlib import Path
from uuid import UUID, uuid4

import asyncpg
import msgspec
import pytest

from services.notifications import links
from services.notifications.domain.preferences import DEFAULTS
from services.notifications.main import SERVICE
from services.notifications.prefs_projection import PREFERENCES
from shared.bus.rpc import ServiceClient
from shared.contracts import notification_prefs as p
from shared.contracts import notifications as n
from shared.contracts.common import Acting
from shared.errors import Forbidden, Invalid
from shared.eventstore.store import EventStore
from shared.projections import rebuild
from shared.settings import Settings

pytestmark = pytest.mark.integration
MIGRATIONS = Path(SERVICE.migrations)


async def prefs_of(client: ServiceClient, who: UUID) -> p.Preferences:
    return (await client.ask(n.PREFERENCES, p.PreferencesRequest(), actor=Acting(member_id=who))).preferences


async def choose(client: ServiceClient, who: UUID, prefs: p.Preferences) -> p.Preferences:
    req = p.SetPreferencesRequest(preferences=prefs)
    return (await client.ask(n.SET_PREFERENCES, req, actor=Acting(member_id=who))).preferences


async def test_defaults_then_a_choice_and_bad_input_changes_nothing(client: ServiceClient) -> None:
    who = uuid4()
    prefs = await prefs_of(client, who)
    assert (
        prefs.channels["approved"] == prefs.channels["removed"] == "email" and prefs.channels["encouraged"] == "in_app"
    )
    assert prefs.channels["reply_to_reply"] == "in_app"
    assert prefs.reminder is False
    chosen = msgspec.structs.replace(
        prefs, channels={**prefs.channels, "encouraged": "digest"}, reminder=True, reminder_time="20:15"
    )
    assert (await choose(client, who, chosen)) == chosen
    assert await prefs_of(client, who) == chosen
    for bad, says in (({"no_such_kind": "email"}, "no_such_kind"), ({"removed": "off"}, "always hear")):
        with pytest.raises(Invalid, match=says):
            await choose(client, who, msgspec.structs.replace(chosen, channels=bad))  # type: ignore[arg-type]
    assert await prefs_of(client, who) == chosen


async def test_unsubscribe_by_a_signed_link_and_a_tampered_one_is_refused(
    client: ServiceClient, settings: Settings
) -> None:
    who = uuid4()
    sig = links.signature(settings.secret_key, who, "approved")
    check = p.UnsubscribeRequest(member_id=who, what="approved", signature=sig)
    assert (await client.ask(n.UNSUBSCRIBE, check)).done is False
    assert (await prefs_of(client, who)).channels["approved"] == "email"  # looking changes nothing
    for tampered in (
        msgspec.structs.replace(check, what="invited", confirm=True),
        msgspec.structs.replace(check, what="approved,invited", confirm=True),
        msgspec.structs.replace(check, member_id=uuid4(), confirm=True),
        msgspec.structs.replace(check, signature=sig[:-2] + "AA", confirm=True),
    ):
        with pytest.raises(Forbidden):
            await client.ask(n.UNSUBSCRIBE, tampered)
    assert (await prefs_of(client, who)).channels["approved"] == "email"
    done = await client.ask(n.UNSUBSCRIBE, msgspec.structs.replace(check, confirm=True))
    assert done.done and done.label == "E-mails about: approval of your story or reply"
    after = await prefs_of(client, who)
    assert after.channels["approved"] == "in_app" and after.channels["removed"] == "email"  # that kind only


V1_CHOSEN = {"replied": "email", "supporters": "email", "notes": "digest", "story_decision": "email"}


async def _old_events(pool: asyncpg.Pool, who: UUID) -> None:
    """What a member did before kinds: a choice per topic and an unsubscribe from a topic, in the
    log as the service wrote them then, and the read model as it folded them then."""
    chosen = {"member_id": str(who), "channels": V1_CHOSEN, "quiet_hours": True, "quiet_start": "22:00",
              "quiet_end": "08:00", "digest_hour": 18, "reminder": False, "reminder_time": "19:00",
              "set_at": "2026-12-01T10:00:00+00:00"}  # fmt: skip
    stopped = {"member_id": str(who), "topic": "supporters", "unsubscribed_at": "2026-12-02T10:00:00+00:00"}
    events = [("notifications.preferences_set.v1", chosen), ("notifications.unsubscribed.v1", stopped)]
    old_topics = {"story_decision": "email", "reached_out": "email", "encouraged": "in_app", "replied": "email",
                  "invited": "email", "supporters": "in_app", "handover": "in_app", "entry_for_you": "in_app",
                  "notes": "digest"}  # fmt: skip
    folded = {**chosen, "channels": old_topics}
    del folded["member_id"], folded["set_at"]
    async with pool.acquire() as conn, conn.transaction():
        await conn.fetchval(
            "SELECT notifications.append_events($1, 0, $2, $3, $4, $5, '{}')", f"preferences-{who}",
            [uuid4(), uuid4()], [t for t, _ in events], [1, 1], [json.dumps(d) for _, d in events],
        )  # fmt: skip
        await conn.execute(
            "INSERT INTO notifications.preferences (member_id, prefs) VALUES ($1, $2::jsonb)", who, json.dumps(folded)
        )


async def test_choices_made_per_topic_fold_as_their_kinds_and_old_links_still_work(
    client: ServiceClient, settings: Settings
) -> None:
    who, stays = uuid4(), uuid4()
    pool = await asyncpg.create_pool(settings.database_url or "", min_size=1, max_size=2)
    try:
        await _old_events(pool, who)
        untouched = await pool.fetchval("SELECT prefs::text FROM notifications.preferences WHERE member_id = $1", who)
        migration = (MIGRATIONS / "0004_preferences_per_kind.sql").read_text().replace("{schema}", "notifications")
        await pool.execute(migration)  # as the deployment that brings kinds rewrites the read model
        migrated = await prefs_of(client, who)
        assert set(migrated.channels) == set(p.KINDS)
        for kind in ("approved", "changes_requested", "removed", "appeal_decided", "replied", "reply_to_reply"):
            assert migrated.channels[kind] == "email", kind
        assert migrated.channels["supporter_joined"] == migrated.channels["supporter_left"] == "in_app"
        assert migrated.channels["notes"] == "digest"
        row = "SELECT prefs FROM notifications.preferences WHERE member_id = $1"
        live = await pool.fetchval(row, who)
        await rebuild(pool, EventStore("notifications", SERVICE.registry), PREFERENCES)
        assert await pool.fetchval(row, who) == live  # the log, upcast, folds to what the migration wrote
        assert untouched != live
        await pool.execute(migration)  # run twice, it changes nothing
        assert await pool.fetchval(row, who) == live
        for topic in ("replied", "story_decision"):  # links in mails sent before kinds
            sig = links.signature(settings.secret_key, who, topic, "topics")
            check = p.UnsubscribeRequest(member_id=who, what=topic, signature=sig)
            view = await client.ask(n.UNSUBSCRIBE, check)
            assert view.done is False and "E-mails about:" in view.label
            forged = p.UnsubscribeRequest(member_id=stays, what=topic, signature=sig, confirm=True)
            with pytest.raises(Forbidden):
                await client.ask(n.UNSUBSCRIBE, forged)
            assert (await client.ask(n.UNSUBSCRIBE, msgspec.structs.replace(check, confirm=True))).done
        after = await prefs_of(client, who)
        for kind in ("approved", "changes_requested", "removed", "appeal_decided", "replied", "reply_to_reply"):
            assert after.channels[kind] == "in_app", kind
        assert after.channels["invited"] == after.channels["reached_out"] == "email"
        with pytest.raises(Invalid, match="approved, changes_requested, removed, appeal_decided"):
            await choose(client, who, msgspec.structs.replace(after, channels={"story_decision": "email"}))
        assert await prefs_of(client, stays) == DEFAULTS
    finally:
        await pool.close()
