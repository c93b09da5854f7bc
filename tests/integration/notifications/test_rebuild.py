"""The inbox is event-sourced: rebuilt from the notifications log, its read models equal the live ones."""

from __future__ import annotations

import asyncpg
import msgspec
import pytest

from services.notifications.domain.preferences import DEFAULTS
from services.notifications.links import signature
from services.notifications.main import SERVICE
from shared.bus.rpc import ServiceClient
from shared.contracts import journal as j
from shared.contracts import notifications as n
from shared.contracts import stories as s
from shared.contracts.common import Acting
from shared.contracts.notification_prefs import SetPreferencesRequest, UnsubscribeRequest
from shared.eventstore.store import EventStore
from shared.projections import rebuild
from shared.settings import Settings
from shared.testing.plugin import eventually
from tests.integration.notifications.test_inbox import inbox, published_story, shows
from tests.support.people import register
from tests.support.stories import Teller

pytestmark = pytest.mark.integration


async def test_rebuilt_inbox_and_mutes_equal_the_live_ones(client: ServiceClient, settings: Settings) -> None:
    db = settings.database_url or ""
    robin, kim, bo, cy = [await register(client, name, db) for name in ("Robin", "Kim", "Bo", "Cy")]
    me = Acting(member_id=robin.id)
    chosen = msgspec.structs.replace(DEFAULTS, channels={**DEFAULTS.channels, "replied": "digest"}, reminder=True)
    await client.ask(n.SET_PREFERENCES, SetPreferencesRequest(preferences=chosen), actor=me)
    unsubscribe = UnsubscribeRequest(
        member_id=robin.id,
        what="reminder",
        signature=signature(settings.secret_key, robin.id, "reminder"),
        confirm=True,
    )
    await client.ask(n.UNSUBSCRIBE, unsubscribe)
    author = Teller(client, "Robin", member_id=robin.id)
    story = await published_story(client, author)
    await eventually(lambda: shows(client, robin.id, "Your story was approved"))
    approved = next(i for i in (await inbox(client, robin.id)).items if i.kind == "approved")
    assert (await client.ask(n.MARK_READ, n.ReadRequest(notification_id=approved.notification_id), actor=me)).marked
    for reader in (bo, cy):
        await Teller(client, reader.name, member_id=reader.id).call("encourage", s.Done, story_id=story, kind="proud")
    await eventually(lambda: shows(client, robin.id, "Bo and Cy are proud of your story"))
    await robin.call("invite", j.Saved, pseudonym="kim", role="encourager")
    await eventually(lambda: shows(client, kim.id, "Robin invited you to support their journal"))
    jid = (await robin.timeline()).journal.journal_id
    await kim.call("respond", j.Saved, journal_id=jid, accept=True)
    await eventually(lambda: shows(client, robin.id, "Kim joined as your supporter"))
    assert (await client.ask(n.MARK_ALL_READ, n.ReadAllRequest(), actor=me)).marked >= 3
    shared = await robin.call("record", j.Saved, entry={"kind": "victory", "text": "x", "visibility": "supporters"})
    await kim.call("note", j.Saved, entry_id=shared.id, text="So proud of you")
    await eventually(lambda: shows(client, robin.id, "Kim left a note on your journal"))
    await client.ask(n.MUTE, n.MuteRequest(target_kind="story", target_id=story), actor=me)
    await client.ask(n.MUTE, n.MuteRequest(target_kind="journal", target_id=jid), actor=Acting(member_id=kim.id))
    await client.ask(n.UNMUTE, n.MuteRequest(target_kind="journal", target_id=jid), actor=Acting(member_id=kim.id))
    live = await inbox(client, robin.id)
    assert live.unread == 1 and any(i.read for i in live.items) and any(i.muted for i in live.items)

    pool = await asyncpg.create_pool(db, min_size=1, max_size=2)
    try:
        store = EventStore("notifications", SERVICE.registry)
        for projection in SERVICE.projections:

            def dump(table: str) -> str:
                return f"SELECT * FROM notifications.{table} AS t ORDER BY t::text"  # every column, whatever the table

            before = {t: [dict(r) for r in await pool.fetch(dump(t))] for t in projection.tables}
            await rebuild(pool, store, projection)
            after = {t: [dict(r) for r in await pool.fetch(dump(t))] for t in projection.tables}
            assert after == before, projection.name
            assert all(before.values()), projection.name
        kinds = {r["kind"] for r in await pool.fetch("SELECT kind FROM notifications.inbox")}
        assert {"welcome", "approved", "encouraged", "invited", "supporter_joined", "note"} <= kinds
    finally:
        await pool.close()
    assert await inbox(client, robin.id) == live
