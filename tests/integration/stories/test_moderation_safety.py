"""Moderation that keeps people safe, over NATS with real PostgreSQL: every report reaches the
queue, "someone may be at risk" is urgent at once, fresh accounts weigh little, moderators reach
out to a writer at risk and hold an item without rejecting it, readers are protected by default,
and moderators keep their context (appeals, the audit, claims, a team of one)."""

from __future__ import annotations

from uuid import UUID, uuid4

import asyncpg
import pytest

from services.stories.crisis import DEFAULT_TEMPLATES
from shared.bus.rpc import ServiceClient
from shared.contracts import moderation as mc
from shared.contracts import stories as s
from shared.errors import Conflict, Forbidden, Invalid, NotFound
from shared.settings import Settings
from tests.integration.stories.test_story_flows import _trust, joined
from tests.support.stories import Teller

pytestmark = pytest.mark.integration
CHECKING_IN = DEFAULT_TEMPLATES[0].template_id


async def _published(ana: Teller, mod: Teller, title: str = "A story", **story: object) -> UUID:
    posted = await ana.submit(title, "I made tea and sat in the garden.", story=story)
    await mod.moderate(posted.id)
    return posted.id


async def _events(settings: Settings) -> int:
    conn = await asyncpg.connect(settings.database_url)
    try:
        return int(await conn.fetchval("SELECT count(*) FROM stories.events"))
    finally:
        await conn.close()


async def test_one_report_reaches_the_report_queue_with_its_reason_and_note(client: ServiceClient) -> None:
    ana, mod, bo = Teller(client, "Ana"), Teller(client, "Mo", "moderator"), Teller(client, "Bo")
    story = await _published(ana, mod)
    assert (await mod.queue(only="reports")).items == ()
    await bo.call("report", s.Reported, item_id=story, reason="unkind", note="The last line mocks people.")
    [line] = (await mod.queue(only="reports")).items
    assert line.id == story and line.review == "reports" and not line.urgent and not line.hidden
    assert [(r.reason, r.count) for r in line.reports] == [("unkind", 1)]
    item = await mod.call("item", mc.QueueItem, item_id=story)
    assert item.report_notes == ("The last line mocks people.",)
    assert await bo.titles() == ["A story"]  # one light report does not hide it


async def test_someone_may_be_at_risk_is_urgent_at_the_top_of_the_queue_with_one_report(
    client: ServiceClient,
) -> None:
    ana, mod, bo, cy = (Teller(client, n) for n in ("Ana", "Mo", "Bo", "Cy"))
    mod.roles = ("member", "moderator")
    story = await _published(ana, mod, "Hard week")
    waiting = await cy.submit("Older item", "Made tea and sat outside.")
    await bo.call("report", s.Reported, item_id=story, reason="at-risk")
    queue = (await mod.queue()).items
    assert [i.id for i in queue] == [story, waiting.id] and queue[0].urgent and not queue[0].hidden


async def test_report_weight_follows_account_age_and_approved_posts(client: ServiceClient, settings: Settings) -> None:
    ana, mod = Teller(client, "Ana"), Teller(client, "Mo", "moderator")
    story = await _published(ana, mod)
    fresh = [Teller(client, f"Fresh {n}") for n in range(3)]
    for n, reader in enumerate(fresh):
        await joined(settings, reader, days=0.0001 * n)  # made seconds apart
        await reader.call("report", s.Reported, item_id=story, reason="harmful")
    assert await Teller(client, "Reader").titles() == ["A story"]  # three fresh accounts cannot hide it
    [line] = (await mod.queue(only="reports")).items
    assert line.report_weight == pytest.approx(0.75) and not line.hidden
    other = await _published(ana, mod, "Another story")
    established, trusted = Teller(client, "Old hand"), Teller(client, "Trusted")
    for member in (established, trusted):
        await joined(settings, member, days=90)
    await _trust(settings, trusted, 10)
    await established.call("report", s.Reported, item_id=other, reason="harmful")
    assert await Teller(client, "Reader").titles() == ["Another story", "A story"]
    await trusted.call("report", s.Reported, item_id=other, reason="harmful")  # 1 + 2 reaches 3
    assert await Teller(client, "Reader").titles() == ["A story"]


async def test_reaching_out_reaches_only_the_writer_and_is_in_the_audit(
    client: ServiceClient, settings: Settings
) -> None:
    lee, mod, bo = Teller(client, "Lee"), Teller(client, "Mo", "moderator"), Teller(client, "Bo")
    await joined(settings, mod, days=90)
    urgent = await lee.submit("Tonight", "I want to end my life tonight, I have the pills ready.")
    assert urgent.crisis
    await mod.call("reach_out", s.Done, item_id=urgent.id, template_id=CHECKING_IN, personal="We're here for you.")
    [message] = (await lee.call("messages", s.MessagesView)).items
    assert message.item_id == urgent.id and message.title == "Tonight"
    assert message.body.startswith("Hi, this is one of the moderators") and message.body.endswith("We're here for you.")
    assert (await bo.call("messages", s.MessagesView)).items == ()
    assert (await mod.call("messages", s.MessagesView)).items == ()
    [entry] = (await mod.call("audit", mc.AuditView)).items
    assert (entry.action, entry.title, entry.moderator, entry.note) == (
        "reached out to the writer", "Tonight", "Mo", "Checking in"
    )  # fmt: skip
    item = await mod.call("item", mc.QueueItem, item_id=urgent.id)
    assert [(m.moderator, m.template_name) for m in item.reached_out] == [("Mo", "Checking in")]
    assert item.review == "new" and item.status == "pending"  # still waiting for a decision


async def test_holding_keeps_an_item_out_of_the_feed_and_does_not_read_as_a_rejection(client: ServiceClient) -> None:
    ana, mod, bo = Teller(client, "Ana"), Teller(client, "Mo", "moderator"), Teller(client, "Bo")
    story = await _published(ana, mod, "Hard week", warnings=["suicide"])
    await bo.call("report", s.Reported, item_id=story, reason="at-risk")
    await mod.call("hold", s.Done, item_id=story)
    assert await bo.titles() == []
    with pytest.raises(NotFound):
        await bo.call("story", s.StoryView, story_id=story)
    [mine] = (await ana.call("mine", s.MineView)).items
    assert (mine.status, mine.reason, mine.guidance, mine.appealed) == ("held", "", "", False)
    with pytest.raises(Conflict):  # nothing was rejected, so there is nothing to appeal
        await ana.call("appeal", s.Done, item_id=story, statement="Why?")
    assert [i.id for i in (await mod.queue()).items] == []
    assert (await mod.call("audit", mc.AuditView)).items[0].action == "held back"
    version = (await ana.call("story", s.StoryView, story_id=story)).version
    revision = {"title": "Hard week", "body": "Better today."}
    await ana.call("revise", s.Posted, story_id=story, expected_version=version, story=revision)
    assert (await ana.call("mine", s.MineView)).items[0].status == "pending"


async def test_a_new_reader_has_suicide_and_self_harm_blurred_until_they_choose(client: ServiceClient) -> None:
    ana, mod, reader = Teller(client, "Ana"), Teller(client, "Mo", "moderator"), Teller(client, "New")
    await _published(ana, mod, "Grief", warnings=["grief"])
    await _published(ana, mod, "A year on", warnings=["suicide"])
    await _published(ana, mod, "Scars", warnings=["self-harm"])
    feed = await reader.feed()
    assert [(i.title, i.blurred) for i in feed.items] == [("Scars", True), ("A year on", True), ("Grief", False)]
    prefs = await reader.call("preferences", s.PreferencesView)
    assert prefs == s.PreferencesView(blur=("suicide", "self-harm"), chosen=False)
    await reader.call("set_preferences", s.PreferencesView, blur=["grief"])
    assert [i.blurred for i in (await reader.feed()).items] == [False, False, True]
    assert (await reader.call("preferences", s.PreferencesView)).chosen


async def test_an_appeal_shows_the_decision_who_made_it_and_why_beside_the_authors_words(
    client: ServiceClient, settings: Settings
) -> None:
    ana, mod, al = Teller(client, "Ana"), Teller(client, "Mo", "moderator"), Teller(client, "Al", "moderator")
    await joined(settings, mod, days=90)
    posted = await ana.submit("My shop", "Buy my candles.")
    await mod.moderate(posted.id, "reject", reason="spam", guidance="Please leave out the shop.")
    await ana.call("appeal", s.Done, item_id=posted.id, statement="The candles are part of my recovery.")
    item = await al.call("item", mc.QueueItem, item_id=posted.id)
    assert (item.review, item.status, item.decided_by_name, item.reason, item.guidance, item.appeal_statement) == (
        "appeal", "rejected", "Mo", "spam", "Please leave out the shop.", "The candles are part of my recovery."
    )  # fmt: skip
    assert not item.decided_by_me and (await mod.call("item", mc.QueueItem, item_id=posted.id)).decided_by_me


async def test_the_audit_names_each_item(client: ServiceClient) -> None:
    ana, mod, bo = Teller(client, "Ana"), Teller(client, "Mo", "moderator"), Teller(client, "Bo")
    story = await _published(ana, mod, "Out of bed")
    reply = await bo.call("reply", s.Posted, story_id=story, body="So proud of you, truly")
    await mod.moderate(reply.id, "reject", reason="other")
    audit = (await mod.call("audit", mc.AuditView)).items
    assert [(a.action, a.kind, a.title) for a in audit] == [
        ("rejected", "reply", "So proud of you, truly"), ("approved", "story", "Out of bed")
    ]  # fmt: skip


async def test_a_claim_shows_who_holds_it_and_only_they_release_it(client: ServiceClient, settings: Settings) -> None:
    ana, mod, al = Teller(client, "Ana"), Teller(client, "Mo", "moderator"), Teller(client, "Al", "moderator")
    await joined(settings, mod, days=90)
    posted = await ana.submit()
    await mod.call("claim", s.Done, item_id=posted.id)
    [line] = (await al.queue()).items
    assert line.claimed_by_other and line.claimed_by_name == "Mo"
    assert (await mod.queue()).items[0].claimed_by_me
    before = await _events(settings)
    with pytest.raises(Conflict):
        await al.call("release", s.Done, item_id=posted.id)
    assert await _events(settings) == before
    await mod.call("release", s.Done, item_id=posted.id)
    assert not (await al.queue()).items[0].claimed_by_other
    await al.call("claim", s.Done, item_id=posted.id)
    assert [a.action for a in (await al.call("audit", mc.AuditView)).items][:3] == ["claimed", "released", "claimed"]


async def test_with_one_moderator_an_appeal_waits_and_an_admin_may_decide_it(client: ServiceClient) -> None:
    ana, mod, ada = Teller(client, "Ana"), Teller(client, "Mo", "moderator"), Teller(client, "Ada", "admin")
    posted = await ana.submit()
    await mod.moderate(posted.id, "reject", reason="off-topic")
    await ana.call("appeal", s.Done, item_id=posted.id, statement="It is about my recovery.")
    [line] = (await mod.queue()).items
    assert line.review == "appeal" and line.decided_by_me
    with pytest.raises(Forbidden):
        await mod.call("claim", s.Done, item_id=posted.id)
    with pytest.raises(Forbidden):
        await mod.call("decide_appeal", s.Done, item_id=posted.id, upheld=True)
    [mine] = (await ana.call("mine", s.MineView)).items
    assert mine.appealed and mine.status == "rejected" and not mine.appeal_note
    await ada.call("claim", s.Done, item_id=posted.id)
    await ada.call("decide_appeal", s.Done, item_id=posted.id, upheld=False, note="It belongs here.")
    assert (await ana.call("mine", s.MineView)).items[0].status == "published"


async def test_bad_input_gets_a_clear_refusal_and_stores_nothing(client: ServiceClient, settings: Settings) -> None:
    ana, mod, bo, cy = (
        Teller(client, "Ana"),
        Teller(client, "Mo", "moderator"),
        Teller(client, "Bo"),
        Teller(client, "Cy"),
    )
    story = await _published(ana, mod)
    pending = await ana.submit("Waiting", "Not yet shown.")
    await bo.call("report", s.Reported, item_id=story, reason="unkind")
    before = await _events(settings)
    refusals: list[tuple[type[Exception], str, dict[str, object], Teller]] = [
        (NotFound, "report", {"item_id": uuid4(), "reason": "unkind"}, cy),
        (NotFound, "report", {"item_id": pending.id, "reason": "unkind"}, cy),
        (Conflict, "report", {"item_id": story, "reason": "harmful"}, bo),
        (Invalid, "report", {"item_id": story, "reason": "unkind", "note": "mail me at cy@example.org"}, cy),
        (Conflict, "reach_out", {"item_id": story, "template_id": CHECKING_IN}, mod),
        (NotFound, "reach_out", {"item_id": pending.id, "template_id": CHECKING_IN}, bo),
        (Conflict, "hold", {"item_id": pending.id}, mod),
        (Conflict, "release", {"item_id": pending.id}, mod),
        (Invalid, "save_template", {"template_id": CHECKING_IN, "name": "Hi", "body": "<b>You matter</b>"}, mod),
        (Forbidden, "save_template", {"template_id": CHECKING_IN, "name": "Hi", "body": "You matter"}, bo),
        (Forbidden, "templates", {}, bo),
    ]
    for error, verb, fields, who in refusals:
        with pytest.raises(error) as refused:
            await who.call(verb, s.Done, **fields)
        assert refused.value.args[0], (verb, fields)
    assert await _events(settings) == before
    hidden_reporters = [Teller(client, f"Old {n}") for n in range(3)]
    for member in hidden_reporters:
        await joined(settings, member, days=90)
        await member.call("report", s.Reported, item_id=story, reason="harmful")
    with pytest.raises(NotFound):  # hidden by reports: not there for a reader to report
        await cy.call("report", s.Reported, item_id=story, reason="spam")
