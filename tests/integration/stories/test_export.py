"""A member's stories part of their export, from the stories service with real PostgreSQL and NATS:
every version they wrote, the decisions and their appeal, replies, encouragement given, reports made,
moderators' messages to them and their warning choices; nobody else's; nothing once they have left."""

from __future__ import annotations

import asyncpg
import pytest

from services.stories.crisis import DEFAULT_TEMPLATES
from shared.bus.rpc import ServiceClient
from shared.contracts import stories as s
from shared.contracts import stories_export as x
from shared.settings import Settings
from shared.testing.plugin import eventually
from tests.support.member_erased import erase
from tests.support.stories import Teller

pytestmark = pytest.mark.integration


async def test_the_export_holds_what_is_theirs_and_nothing_once_they_left(
    client: ServiceClient, settings: Settings
) -> None:
    robin, ana, mod = Teller(client, "Robin"), Teller(client, "Ana"), Teller(client, "Mo", "moderator")
    first = await robin.submit("First", "Out of bed.")
    await mod.moderate(first.id, "request_changes", reason="missing-warning", guidance="Add one, please")
    await robin.call("revise", s.Posted, story_id=first.id, expected_version=2, story={
        "title": "First, again", "body": "Out of bed, twice.", "warnings": ["grief"],
    })  # fmt: skip
    await mod.moderate(first.id)
    removed = await robin.submit("Second", "A second try.")
    await mod.moderate(removed.id)
    await mod.moderate(removed.id, "remove", reason="off-topic", guidance="Keep it about recovery")
    await robin.call("appeal", s.Done, item_id=removed.id, statement="It is about my recovery.")
    urgent = await robin.submit("Tonight", "I want to end my life tonight, I have the pills ready.")
    await mod.call("reach_out", s.Done, item_id=urgent.id, template_id=DEFAULT_TEMPLATES[0].template_id)
    anas = await ana.submit("Ana walks", "Around the lake.")
    await mod.moderate(anas.id)
    reply = await robin.call("reply", s.Posted, story_id=anas.id, body="So glad for you")
    await robin.call("encourage", s.Done, story_id=anas.id, kind="helped")
    await robin.call("report", s.Reported, item_id=anas.id, reason="unkind", note="It made me sad")
    await robin.call("set_preferences", s.PreferencesView, hide=["suicide"], blur=["grief"])

    mine = await robin.call("export", x.StoriesExport)
    told = {t.id: t for t in mine.stories}
    assert list(told) == [first.id, removed.id, urgent.id]
    assert [(v.version, v.title, v.body, v.warnings) for v in told[first.id].versions] == [
        (1, "First", "Out of bed.", ()), (2, "First, again", "Out of bed, twice.", ("grief",)),
    ]  # fmt: skip
    assert told[first.id].status == "published" and told[first.id].published_at is not None
    second = told[removed.id]
    assert (second.status, second.decision.reason, second.decision.guidance) == (
        "removed", "off-topic", "Keep it about recovery"
    )  # fmt: skip
    assert second.decision.appeal == "It is about my recovery."
    assert [(r.id, r.story_id, r.body, r.status) for r in mine.replies] == [
        (reply.id, anas.id, "So glad for you", "pending")
    ]
    assert [(e.story_id, e.kind) for e in mine.encouragement] == [(anas.id, "helped")] and mine.encouragement[
        0
    ].given_at
    assert [(r.item_id, r.reason, r.note) for r in mine.reports] == [(anas.id, "unkind", "It made me sad")]
    assert [m.item_id for m in mine.messages] == [urgent.id] and DEFAULT_TEMPLATES[0].body in mine.messages[0].body
    assert mine.warnings == s.PreferencesView(hide=("suicide",), blur=("grief",), chosen=True)

    theirs = await ana.call("export", x.StoriesExport)  # Ana's part: her story, none of Robin's doings
    assert [t.id for t in theirs.stories] == [anas.id] and theirs.stories[0].versions[0].title == "Ana walks"
    assert theirs.replies == theirs.encouragement == theirs.reports == theirs.messages == ()
    assert theirs.warnings == s.PreferencesView()

    await erase(settings.database_url or "", robin.id)
    conn = await asyncpg.connect(settings.database_url)
    try:
        await eventually(lambda: conn.fetchval("SELECT true FROM stories.erased WHERE member_id = $1", robin.id))
    finally:
        await conn.close()
    assert await robin.call("export", x.StoriesExport) == x.StoriesExport(
        stories=(), replies=(), encouragement=(), reports=(), messages=(), warnings=s.PreferencesView()
    )
