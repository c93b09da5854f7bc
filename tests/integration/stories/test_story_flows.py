"""The stories service over NATS with real PostgreSQL: submitting, moderating, reading, reporting."""

from __future__ import annotations

import datetime as dt
from uuid import uuid4

import asyncpg
import pytest

from services.stories.crisis import DEFAULT_TEMPLATES
from services.stories.queries import queue_figures
from shared.bus.rpc import ServiceClient
from shared.contracts import moderation as mc
from shared.contracts import stories as s
from shared.errors import Conflict, Forbidden, Invalid, NotFound
from shared.settings import Settings
from tests.support.stories import Teller

pytestmark = pytest.mark.integration


async def test_a_story_is_reviewed_then_published_and_encouraged(client: ServiceClient) -> None:
    ana, mod, bo = Teller(client, "Ana"), Teller(client, "Mo", "moderator"), Teller(client, "Bo")
    posted = await ana.submit(
        "Out of bed", "From the setback in March to five victories since.", story={"themes": ["small-wins"]}
    )
    assert posted.status == "pending" and not posted.crisis
    assert await bo.titles() == []
    assert [i.id for i in (await mod.queue()).items] == [posted.id]
    await mod.call("claim", s.Done, item_id=posted.id)
    await mod.moderate(posted.id)
    assert await bo.titles() == ["Out of bed"]
    assert await bo.titles(theme="small-wins") == ["Out of bed"] and await bo.titles(theme="advocacy") == []
    await bo.call("encourage", s.Done, story_id=posted.id, kind="proud")
    with pytest.raises(Conflict):
        await bo.call("encourage", s.Done, story_id=posted.id, kind="proud")
    with pytest.raises(Conflict):
        await ana.call("encourage", s.Done, story_id=posted.id, kind="proud")
    mine = await ana.call("story", s.StoryView, story_id=posted.id)
    assert mine.counts == {"proud": 1} and mine.mine
    theirs = await bo.call("story", s.StoryView, story_id=posted.id)
    assert theirs.counts == {} and theirs.sent == ("proud",)
    await bo.call("take_back", s.Done, story_id=posted.id, kind="proud")
    assert (await ana.call("story", s.StoryView, story_id=posted.id)).counts == {}
    assert (await mod.queue()).items == ()


async def test_crisis_language_is_urgent_first_in_the_queue_and_never_published_directly(
    client: ServiceClient, settings: Settings
) -> None:
    calm, worried, mod = Teller(client, "Calm"), Teller(client, "Worried"), Teller(client, "Mo", "moderator")
    first = await calm.submit("Tea", "Made tea and sat outside.")
    await _trust(settings, worried, 10)
    urgent = await worried.submit("Tonight", "I want to end my life tonight, I have the pills ready.")
    assert urgent.crisis and urgent.status == "pending"
    queue = (await mod.queue()).items
    assert [i.id for i in queue] == [urgent.id, first.id] and queue[0].urgent and queue[0].flags
    assert await Teller(client, "Reader").titles() == []
    conn = await asyncpg.connect(settings.database_url)
    try:  # what the stories service's metrics report about its queue
        figures = await queue_figures(conn)
    finally:
        await conn.close()
    assert figures["moderation_queue_items"] == 2 and figures["moderation_queue_urgent_items"] == 1
    assert figures["moderation_queue_oldest_seconds"] >= 0


async def test_a_trusted_members_story_appears_at_once_and_is_still_queued(
    client: ServiceClient, settings: Settings
) -> None:
    ana, mod, reader = Teller(client, "Ana"), Teller(client, "Mo", "moderator"), Teller(client, "Reader")
    for n in range(settings.stories_trust_after):
        posted = await ana.submit(f"Win {n}", "A small win.")
        await mod.moderate(posted.id)
    direct = await ana.submit("Straight in", "Trusted now.")
    assert direct.status == "published"
    assert (await reader.titles())[0] == "Straight in"
    item = next(i for i in (await mod.queue()).items if i.id == direct.id)
    assert item.review == "post" and item.status == "published"
    await mod.moderate(direct.id, "remove", reason="off-topic", guidance="Keep it about recovery.")
    assert "Straight in" not in await reader.titles()
    assert (await ana.submit("After removal", "Back to review.")).status == "pending"


async def test_reports_weighted_by_trust_hide_an_item_until_a_moderator_decides(
    client: ServiceClient, settings: Settings
) -> None:
    ana, mod = Teller(client, "Ana"), Teller(client, "Mo", "moderator")
    posted = await ana.submit("A story", "Something to report.")
    await mod.moderate(posted.id)
    newcomers = [Teller(client, f"New {n}") for n in range(2)]
    trusted = Teller(client, "Trusted")
    for member in (*newcomers, trusted):
        await joined(settings, member, days=60)
    await _trust(settings, trusted, 10)  # weighs 2, a month-old member 1; the threshold is 3
    await newcomers[0].call("report", s.Done, item_id=posted.id, reason="unkind")
    with pytest.raises(Conflict):
        await newcomers[0].call("report", s.Done, item_id=posted.id, reason="unkind")
    with pytest.raises(Conflict):
        await ana.call("report", s.Done, item_id=posted.id, reason="unkind")
    assert await newcomers[1].titles() == ["A story"]
    await trusted.call("report", s.Reported, item_id=posted.id, reason="harmful")
    assert await newcomers[1].titles() == []
    with pytest.raises(NotFound):
        await newcomers[1].call("story", s.StoryView, story_id=posted.id)
    queued = (await mod.queue(only="reports")).items
    assert [i.id for i in queued] == [posted.id] and queued[0].review == "reports"
    assert {r.reason for r in queued[0].reports} == {"unkind", "harmful"}
    await mod.moderate(posted.id)  # the moderator keeps it up
    assert await newcomers[1].titles() == ["A story"]


async def test_moderation_refusals(client: ServiceClient) -> None:
    ana, mod, other = Teller(client, "Ana"), Teller(client, "Mo", "moderator"), Teller(client, "Al", "moderator")
    posted = await ana.submit()
    with pytest.raises(NotFound):
        await Teller(client, "X").moderate(posted.id)  # not a moderator, and not published: not found
    with pytest.raises(Forbidden):
        await ana.queue()
    own = await mod.submit("Mine", "A moderator's own story.")
    with pytest.raises(Forbidden):
        await mod.moderate(own.id)
    await mod.call("claim", s.Done, item_id=posted.id)
    with pytest.raises(Conflict):
        await other.moderate(posted.id)
    await mod.moderate(posted.id, "reject", reason="spam")
    with pytest.raises(Conflict):
        await mod.moderate(posted.id)
    await ana.call("appeal", s.Done, item_id=posted.id, statement="It is about my recovery.")
    with pytest.raises(Conflict):
        await ana.call("appeal", s.Done, item_id=posted.id, statement="Again")
    with pytest.raises(Forbidden):
        await mod.call("decide_appeal", s.Done, item_id=posted.id, upheld=False)
    await other.call("decide_appeal", s.Done, item_id=posted.id, upheld=False, note="Fine after all.")
    assert (await ana.call("story", s.StoryView, story_id=posted.id)).status == "published"
    audit = (await other.call("audit", mc.AuditView)).items
    assert [a.action for a in audit][:3] == ["appeal: decision reversed", "rejected", "claimed"]


async def test_bad_input_is_refused_and_stores_nothing(client: ServiceClient, settings: Settings) -> None:
    ana = Teller(client, "Ana")
    for story, field in [
        ({"title": " ", "body": "x"}, "title"),
        ({"title": "t", "body": "x" * 10_001}, "body"),
        ({"title": "t", "body": "b", "themes": ["nope"]}, "themes"),
        ({"title": "t", "body": "b", "warnings": ["nope"]}, "warnings"),
        ({"title": "t", "body": "write to me at ana@example.org"}, "body"),
        ({"title": "t", "body": "call me on +44 20 7946 0958"}, "body"),
    ]:
        with pytest.raises(Invalid) as refused:
            await ana.call("submit", s.Posted, story=story)
        assert refused.value.errors[0].field == field
    conn = await asyncpg.connect(settings.database_url)
    try:
        assert await conn.fetchval("SELECT count(*) FROM stories.events") == 0
    finally:
        await conn.close()


async def test_a_double_submit_stores_one_story(client: ServiceClient, settings: Settings) -> None:
    ana = Teller(client, "Ana")
    first = await ana.submit(idempotency_key="k1")
    again = await ana.submit(idempotency_key="k1")
    assert first == again
    assert len((await ana.call("mine", s.MineView)).items) == 1


async def test_replies_are_moderated_and_the_author_can_hide_one(client: ServiceClient) -> None:
    ana, bo, mod = Teller(client, "Ana"), Teller(client, "Bo"), Teller(client, "Mo", "moderator")
    story = await ana.submit()
    with pytest.raises(NotFound):
        await bo.call("reply", s.Posted, story_id=story.id, body="Early")
    await mod.moderate(story.id)
    reply = await bo.call("reply", s.Posted, story_id=story.id, body="So proud of you")
    assert reply.status == "pending"
    assert (await ana.call("story", s.StoryView, story_id=story.id)).replies == ()
    assert [r.body for r in (await bo.call("story", s.StoryView, story_id=story.id)).replies] == ["So proud of you"]
    await mod.moderate(reply.id)
    assert [r.pseudonym for r in (await ana.call("story", s.StoryView, story_id=story.id)).replies] == ["Bo"]
    await ana.call("hide_reply", s.Done, item_id=reply.id)
    assert (await Teller(client, "Cy").call("story", s.StoryView, story_id=story.id)).replies == ()
    await ana.call("withdraw", s.Done, item_id=story.id)
    with pytest.raises(Conflict):
        await bo.call("reply", s.Posted, story_id=story.id, body="Late")
    with pytest.raises(NotFound):
        await bo.call("story", s.StoryView, story_id=story.id)


async def joined(settings: Settings, who: Teller, days: float) -> None:
    """Say when a member joined, as the accounts events the stories service consumes would."""
    conn = await asyncpg.connect(settings.database_url)
    try:
        await conn.execute(
            "INSERT INTO stories.people (member_id, pseudonym, registered_at) VALUES ($1, $2, now() - $3::interval)",
            who.id, who.name, dt.timedelta(days=days),
        )  # fmt: skip
    finally:
        await conn.close()


async def _trust(settings: Settings, who: Teller, approved: int) -> None:
    """Give a member earned trust, as if ``approved`` of their posts had been approved."""
    conn = await asyncpg.connect(settings.database_url)
    try:
        await conn.execute("INSERT INTO stories.trust (member_id, approved) VALUES ($1, $2)", who.id, approved)
    finally:
        await conn.close()


async def test_rebuilt_read_models_equal_the_live_ones(client: ServiceClient, settings: Settings) -> None:
    from services.stories.main import SERVICE
    from shared.eventstore.store import EventStore
    from shared.projections import rebuild

    ana, bo, mod, al = (
        Teller(client, "Ana"),
        Teller(client, "Bo"),
        Teller(client, "Mo", "moderator"),
        Teller(client, "Al", "admin"),
    )
    stories = [
        await ana.submit(f"Story {n}", f"Body {n}", story={"themes": ["small-wins"], "warnings": ["grief"]})
        for n in range(4)
    ]
    for posted in stories[:3]:
        await mod.call("claim", s.Done, item_id=posted.id)
        await mod.moderate(posted.id)
    await mod.moderate(stories[1].id, "remove", reason="spam")
    await ana.call("appeal", s.Done, item_id=stories[1].id, statement="Please")
    await al.call("decide_appeal", s.Done, item_id=stories[1].id, upheld=False)
    await mod.moderate(stories[3].id, "request_changes", reason="missing-warning", guidance="Add one")
    await bo.call("encourage", s.Done, story_id=stories[0].id, kind="helped")
    reply = await bo.call("reply", s.Posted, story_id=stories[0].id, body="Thank you")
    await mod.moderate(reply.id)
    await ana.call("hide_reply", s.Done, item_id=reply.id)
    await bo.call("report", s.Reported, item_id=stories[2].id, reason="spam", note="Looks like an advert.")
    urgent = await bo.submit("Tonight", "I want to end my life tonight, I have the pills ready.")
    await mod.call("claim", s.Done, item_id=urgent.id)
    await mod.call("release", s.Done, item_id=urgent.id)
    await mod.call("reach_out", s.Done, item_id=urgent.id, template_id=DEFAULT_TEMPLATES[1].template_id)
    await mod.call("hold", s.Done, item_id=urgent.id)
    await al.call("save_template", mc.TemplateView, template_id=uuid4(), name="Later", body="We're still here.")
    await bo.call("set_preferences", s.PreferencesView, hide=["suicide"], blur=["grief"])
    live_feed = await bo.feed()
    columns = {"audit": "at, moderator_id, action, item_id, kind, reason, note"}  # seq is a counter
    pool = await asyncpg.create_pool(settings.database_url, min_size=1, max_size=2)
    try:
        service = SERVICE
        store = EventStore("stories", service.registry)
        for projection in service.projections:

            def dump(table: str) -> str:
                return f"SELECT {columns.get(table, '*')} FROM stories.{table} ORDER BY 1, 2, 3"

            before = {t: [dict(r) for r in await pool.fetch(dump(t))] for t in projection.tables}
            await rebuild(pool, store, projection)
            after = {t: [dict(r) for r in await pool.fetch(dump(t))] for t in projection.tables}
            assert after == before, projection.name
            assert all(before.values()), projection.name
    finally:
        await pool.close()
    assert await bo.feed() == live_feed and [i.blurred for i in live_feed.items] == [True, True, True]


async def test_the_queue_pages_urgent_first_then_oldest_and_counts_up_to_a_cap(
    client: ServiceClient, settings: Settings
) -> None:
    from services.stories import queries

    mod, writers = Teller(client, "Mo", "moderator"), [Teller(client, f"Writer {n}") for n in range(7)]
    calm = [await w.submit(f"Calm {n}", "Made tea and sat outside.") for n, w in enumerate(writers[:5])]
    worried = [await w.submit(f"Worried {n}", "I want to end my life tonight.") for n, w in enumerate(writers[5:])]
    seen, cursor, pages = [], "", 0
    while True:
        page = await mod.queue(limit=3, cursor=cursor)
        assert page.total == 7 and not page.total_capped
        seen += page.items
        pages += 1
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert pages == 3
    assert [i.id for i in seen] == [p.id for p in worried] + [p.id for p in calm]
    assert [i.urgent for i in seen] == [True, True, False, False, False, False, False]
    assert seen[0].title == "Worried 0" and not hasattr(seen[0], "body")
    with pytest.raises(Invalid) as bad:
        await mod.queue(cursor="not a position")
    assert bad.value.errors[0].field == "cursor"
    conn = await asyncpg.connect(settings.database_url)
    try:
        rows, total = await queries.queue(conn, False, None, 2, cap=4)
        last = seen[-1]
        past_the_end = await queries.queue(conn, False, (last.urgent, last.queued_at, last.id), 2)
        no_reports = await queries.queue(conn, True, None, 2)
    finally:
        await conn.close()
    assert (len(rows), total) == (3, 4)  # one more than asked says there is more; counting stops at the cap
    assert past_the_end == ([], 7)  # a page after the last line still says how many wait
    assert no_reports == ([], 0)
