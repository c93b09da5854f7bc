"""The journal service over NATS with real PostgreSQL: the flows people go through."""

from __future__ import annotations

import datetime as dt
from typing import Any

import asyncpg
import nats
import pytest

from shared.bus.rpc import ServiceClient
from shared.bus.streams import event_stream
from shared.contracts import journal as j
from shared.contracts import supporters as sup
from shared.errors import Forbidden, Invalid, NotFound
from shared.settings import Settings
from shared.testing.plugin import eventually
from tests.support.people import register

pytestmark = pytest.mark.integration


async def test_member_records_victory_setback_and_mood_and_sees_them(client: ServiceClient, settings: Settings) -> None:
    robin = await register(client, "Robin", settings.database_url or "")
    empty = await robin.timeline()
    assert empty.items == () and not empty.journal.exists
    await robin.call(
        "record",
        j.Saved,
        entry={"kind": "victory", "text": "Got out of bed and showered", "themes": ["healthy-habits"]},
    )
    await robin.call(
        "record", j.Saved, entry={"kind": "setback", "text": "Skipped the walk", "helped": "A friend called"}
    )
    await robin.call("record", j.Saved, entry={"kind": "mood", "mood": 3, "text": "Tired but ok"})
    view = await robin.timeline()
    assert view.journal.exists and view.journal.access == "owner"
    assert sorted(await robin.texts()) == ["Got out of bed and showered", "Skipped the walk", "Tired but ok"]
    setback = next(i.entry for i in view.items if i.entry and i.entry.kind == "setback")
    assert setback.helped == "A friend called" and setback.author_name == "Robin" and not setback.on_behalf
    assert await robin.texts(kind="victory") == ["Got out of bed and showered"]
    assert await robin.texts(theme="healthy-habits") == ["Got out of bed and showered"]


async def test_crisis_language_is_flagged_to_the_writer_and_still_saved(
    client: ServiceClient, settings: Settings
) -> None:
    robin = await register(client, "Robin", settings.database_url or "")
    saved = await robin.call("record", j.Saved, entry={"kind": "setback", "text": "Some days I want to die"})
    calm = await robin.call("record", j.Saved, entry={"kind": "victory", "text": "Made tea"})
    assert saved.crisis and not calm.crisis
    assert "Some days I want to die" in await robin.texts()


async def test_entry_text_is_never_stored_or_published_in_plaintext(client: ServiceClient, settings: Settings) -> None:
    robin = await register(client, "Robin", settings.database_url or "")
    secret = "Told my sister about the panic attacks"
    await robin.call("record", j.Saved, entry={"kind": "victory", "text": secret, "helped": ""})
    note = "Proud of the sister talk"
    shared = await robin.call(
        "record", j.Saved, entry={"kind": "setback", "text": "x", "helped": secret, "visibility": "supporters"}
    )
    await robin.call("note", j.Saved, entry_id=shared.id, text=note)
    assert secret in await robin.texts() or secret in [
        i.entry.helped for i in (await robin.timeline()).items if i.entry
    ]
    conn = await asyncpg.connect(settings.database_url)
    try:
        tables = await conn.fetch(
            "SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema IN ('journal', 'accounts', 'notifications')"
        )
        for row in tables:
            dump = await conn.fetchval(f"SELECT coalesce(string_agg(t::text, ' '), '') FROM {row[0]}.{row[1]} t")
            assert secret not in dump and note not in dump, row
    finally:
        await conn.close()

    # every message the journal published to NATS
    nc = await nats.connect(settings.servers()[1])
    try:
        js = nc.jetstream()
        stream = event_stream(settings.nats_prefix, "journal").name
        await eventually(lambda: _published(js, stream, 4))  # journal started, 2 entries, 1 note
        info = await js.stream_info(stream)
        for seq in range(info.state.first_seq, info.state.last_seq + 1):
            data = (await js.get_msg(stream, seq)).data or b""
            assert secret.encode() not in data and note.encode() not in data
    finally:
        await nc.close()


async def _published(js: Any, stream: str, count: int) -> bool:
    return bool((await js.stream_info(stream)).state.messages >= count)


async def test_keeper_writes_member_claims_confirms_and_takes_over(client: ServiceClient, settings: Settings) -> None:
    db = settings.database_url or ""
    sam, alex = await register(client, "Sam", db), await register(client, "Alex", db)
    started = await sam.call("start_for", sup.StartedFor, for_name="Alex")
    jid = started.journal_id
    await sam.call(
        "record",
        j.Saved,
        journal_id=jid,
        entry={"kind": "victory", "text": "Alex ate breakfast", "visibility": "supporters"},
    )
    await alex.call("claim", j.Saved, code=started.claim_code)
    with pytest.raises(NotFound):
        await alex.call("claim", j.Saved, code=started.claim_code)  # a code works once
    view = await alex.timeline()
    assert view.journal.journal_id == jid and view.journal.stage == "supporter_keeps"
    assert [(i.entry.author_name, i.entry.on_behalf) for i in view.items if i.entry] == [("Sam", True)]

    await sam.call("propose_stage", j.Saved, journal_id=jid, stage="kept_together")
    assert (await alex.timeline()).journal.pending_stage == "kept_together"
    await alex.call("accept_stage", j.Saved)
    written = await sam.call(
        "record",
        j.Saved,
        journal_id=jid,
        entry={"kind": "victory", "text": "Alex went outside", "visibility": "supporters"},
    )
    entry = await alex.call("entry", j.EntryView, entry_id=written.id)
    assert entry.needs_confirmation and not entry.confirmed
    await alex.call("confirm", j.Saved, entry_id=written.id)
    assert (await alex.call("entry", j.EntryView, entry_id=written.id)).confirmed

    await alex.call("propose_stage", j.Saved, stage="member_keeps")  # the member's own proposal stands at once
    assert (await alex.timeline()).journal.stage == "member_keeps"
    with pytest.raises(Forbidden, match="member keeps this journal"):
        await sam.call("record", j.Saved, journal_id=jid, entry={"kind": "victory", "text": "more"})
    kinds = [i.kind for i in (await alex.timeline()).items]
    assert kinds.count("handover") >= 3


async def test_supporters_see_only_what_is_shared_and_nothing_after_removal(
    client: ServiceClient, settings: Settings
) -> None:
    db = settings.database_url or ""
    robin, kim = await register(client, "Robin", db), await register(client, "Kim", db)
    await robin.call("record", j.Saved, entry={"kind": "victory", "text": "private win"})
    await robin.call("record", j.Saved, entry={"kind": "victory", "text": "shared win", "visibility": "supporters"})
    await robin.call("invite", j.Saved, pseudonym="kim", role="encourager")
    jid = (await robin.timeline()).journal.journal_id
    with pytest.raises(NotFound):
        await kim.timeline(journal_id=jid)  # invited, not yet joined
    await kim.call("respond", j.Saved, journal_id=jid, accept=True)
    assert await kim.texts(journal_id=jid) == ["shared win"]
    shared = next(i.entry for i in (await kim.timeline(journal_id=jid)).items if i.entry)
    await kim.call("note", j.Saved, entry_id=shared.entry_id, text="So proud of you")
    with pytest.raises(Forbidden):
        await kim.call("record", j.Saved, journal_id=jid, entry={"kind": "victory", "text": "x"})
    await kim.call("observe", j.Saved, journal_id=jid, text="You went out twice this week")
    pending = await robin.call("observations", j.ObservationsView)
    assert [o.text for o in pending.items] == ["You went out twice this week"]
    await robin.call(
        "resolve_observation", j.Saved, observation_id=pending.items[0].observation_id, resolution="accepted"
    )
    assert "You went out twice this week" in [i.text for i in (await robin.timeline()).items]
    notes = next(i.entry for i in (await robin.timeline()).items if i.entry and i.entry.text == "shared win").notes
    assert [(n.author_name, n.text) for n in notes] == [("Kim", "So proud of you")]

    await robin.call("remove_supporter", j.Saved, supporter_id=kim.id)
    with pytest.raises(NotFound):
        await kim.timeline(journal_id=jid)
    with pytest.raises(NotFound):
        await kim.call("entry", j.EntryView, entry_id=shared.entry_id)


async def test_bad_entries_are_refused_and_store_nothing(client: ServiceClient, settings: Settings) -> None:
    robin = await register(client, "Robin", settings.database_url or "")
    tomorrow = (dt.datetime.now(dt.UTC) + dt.timedelta(days=2)).date().isoformat()
    for entry, field in [
        ({"kind": "victory", "text": ""}, "text"),
        ({"kind": "victory", "text": "x" * 2001}, "text"),
        ({"kind": "mood", "mood": 0}, "mood"),
        ({"kind": "mood", "mood": 6}, "mood"),
        ({"kind": "victory", "text": "ok", "occurred_on": tomorrow}, "occurred_on"),
        ({"kind": "victory", "text": "ok", "themes": ["astrology"]}, "themes"),
        ({"kind": "poem", "text": "ok"}, "kind"),
    ]:
        with pytest.raises(Invalid) as refused:
            await robin.call("record", j.Saved, entry=entry)
        assert field in {e.field for e in refused.value.errors}
    conn = await asyncpg.connect(settings.database_url)
    try:
        assert await conn.fetchval("SELECT count(*) FROM journal.entries") == 0
        assert await conn.fetchval("SELECT count(*) FROM journal.events WHERE event_type LIKE 'journal.entry%'") == 0
    finally:
        await conn.close()


async def test_two_concurrent_edits_one_wins_the_other_is_told_to_reload(
    client: ServiceClient, settings: Settings
) -> None:
    import asyncio

    from shared.errors import Conflict

    robin = await register(client, "Robin", settings.database_url or "")
    saved = await robin.call("record", j.Saved, entry={"kind": "victory", "text": "first"})
    version = (await robin.call("entry", j.EntryView, entry_id=saved.id)).version
    results = await asyncio.gather(
        *(
            robin.call(
                "edit", j.Saved, entry_id=saved.id, expected_version=version, entry={"kind": "victory", "text": t}
            )
            for t in ("edit A", "edit B")
        ),
        return_exceptions=True,
    )
    assert sum(isinstance(r, j.Saved) for r in results) == 1
    assert sum(isinstance(r, Conflict) for r in results) == 1
    assert (await robin.call("entry", j.EntryView, entry_id=saved.id)).text in ("edit A", "edit B")


async def test_rebuilt_journal_read_models_equal_the_live_ones(client: ServiceClient, settings: Settings) -> None:
    from services.journal.main import SERVICE
    from shared.eventstore.store import EventStore
    from shared.projections import rebuild

    db = settings.database_url or ""
    sam, alex = await register(client, "Sam", db), await register(client, "Alex", db)
    started = await sam.call("start_for", sup.StartedFor, for_name="Alex")
    await sam.call("propose_stage", j.Saved, journal_id=started.journal_id, stage="member_keeps")
    await alex.call("claim", j.Saved, code=started.claim_code)
    await alex.call("decline_stage", j.Saved)
    await sam.call("propose_stage", j.Saved, journal_id=started.journal_id, stage="kept_together")
    await alex.call("accept_stage", j.Saved)
    written = await sam.call(
        "record",
        j.Saved,
        journal_id=started.journal_id,
        entry={"kind": "victory", "text": "a", "visibility": "supporters"},
    )
    await alex.call("confirm", j.Saved, entry_id=written.id)
    await sam.call("observe", j.Saved, journal_id=started.journal_id, text="you kept going")
    kept = (await alex.call("observations", j.ObservationsView)).items[0]
    await alex.call("resolve_observation", j.Saved, observation_id=kept.observation_id, resolution="kept_private")
    await alex.call("note", j.Saved, entry_id=written.id, text="thanks")
    await sam.call("observe", j.Saved, journal_id=started.journal_id, text="you smiled more")
    pool = await asyncpg.create_pool(db, min_size=1, max_size=2)
    try:
        service = SERVICE
        store = EventStore("journal", service.registry)
        for projection in service.projections:
            before = {
                t: [dict(r) for r in await pool.fetch(f"SELECT * FROM journal.{t} ORDER BY 1, 2")]
                for t in projection.tables
            }
            await rebuild(pool, store, projection)
            after = {
                t: [dict(r) for r in await pool.fetch(f"SELECT * FROM journal.{t} ORDER BY 1, 2")]
                for t in projection.tables
            }
            assert after == before, projection.name
            assert any(before.values()), projection.name
    finally:
        await pool.close()


async def test_first_page_shows_supporters_handover_and_observations_to_each_as_they_may_see(
    client: ServiceClient, settings: Settings
) -> None:
    db = settings.database_url or ""
    robin, kim, lee = [await register(client, n, db) for n in ("Robin", "Kim", "Lee")]
    await robin.call("record", j.Saved, entry={"kind": "victory", "text": "shared win", "visibility": "supporters"})
    await robin.call("invite", j.Saved, pseudonym="Kim", role="keeper")
    await robin.call("invite", j.Saved, pseudonym="Lee", role="encourager")
    jid = (await robin.timeline()).journal.journal_id
    await kim.call("respond", j.Saved, journal_id=jid, accept=True)
    await lee.call("respond", j.Saved, journal_id=jid, accept=True)
    await kim.call("propose_stage", j.Saved, journal_id=jid, stage="kept_together")
    await kim.call("observe", j.Saved, journal_id=jid, text="You cooked twice this week")
    await lee.call("observe", j.Saved, journal_id=jid, text="You laughed at dinner")
    own = await robin.timeline()
    assert [(s.name, s.role) for s in own.journal.supporters] == [("Kim", "keeper"), ("Lee", "encourager")]
    assert sorted(o.text for o in own.pending) == ["You cooked twice this week", "You laughed at dinner"]
    assert [i.text for i in own.items if i.kind == "handover"] == ["Handover proposed: kept together"]
    await robin.call(
        "resolve_observation", j.Saved, observation_id=own.pending[0].observation_id, resolution="accepted"
    )
    accepted = own.pending[0].text
    as_owner = await robin.timeline()
    assert [i.text for i in as_owner.items if i.kind == "observation"] == [accepted]
    assert [o.text for o in as_owner.pending] == [
        t for t in ("You cooked twice this week", "You laughed at dinner") if t != accepted
    ]
    as_lee = await lee.timeline(journal_id=jid)
    assert as_lee.journal.supporters == () and as_lee.pending == (), "only the owner sees supporters and pending notes"
    lee_sees = [i.text for i in as_lee.items if i.kind == "observation"]
    assert lee_sees == ([accepted] if accepted == "You laughed at dinner" else [])
    filtered = await robin.timeline(kind="victory")
    assert [i.kind for i in filtered.items] == ["victory"] and filtered.pending == ()
    assert [s.name for s in filtered.journal.supporters] == ["Kim", "Lee"]


async def test_timeline_pages_through_every_entry_once_newest_first(client: ServiceClient, settings: Settings) -> None:
    robin = await register(client, "Robin", settings.database_url or "")
    today = dt.datetime.now(dt.UTC).date()
    for n in range(23):  # more than one page of 20; three of them on the same day
        day = today - dt.timedelta(days=min(n, 20))
        kind = "mood" if n % 5 == 0 else "victory"
        entry = {"kind": kind, "text": f"win {n}", "occurred_on": day.isoformat()}
        await robin.call("record", j.Saved, entry={**entry, "mood": 3} if kind == "mood" else entry)
    first, second = await robin.timeline(), await robin.timeline(page=2)
    assert first.has_more and not second.has_more and second.page == 2
    texts = [i.entry.text for i in (*first.items, *second.items) if i.entry]
    assert sorted(texts) == sorted(f"win {n}" for n in range(23)), "each entry on exactly one page"
    days = [i.entry.occurred_on for i in (*first.items, *second.items) if i.entry]
    assert days == sorted(days, reverse=True)
    moods = await robin.timeline(kind="mood")
    assert [i.entry.text for i in moods.items if i.entry] == [f"win {n}" for n in (0, 5, 10, 15, 20)]
    assert not moods.has_more


async def test_export_holds_every_entry_with_its_notes_beyond_one_page(
    client: ServiceClient, settings: Settings
) -> None:
    robin = await register(client, "Robin", settings.database_url or "")
    for n in range(22):
        await robin.call("record", j.Saved, entry={"kind": "victory", "text": f"win {n}"})
    first = next(i.entry for i in (await robin.timeline()).items if i.entry)
    await robin.call("note", j.Saved, entry_id=first.entry_id, text="Proud of this one")
    export = await robin.call("export", j.ExportView)
    assert sorted(e.text for e in export.entries) == sorted(f"win {n}" for n in range(22))
    noted = next(e for e in export.entries if e.entry_id == first.entry_id)
    assert [n.text for n in noted.notes] == ["Proud of this one"]


async def test_next_steps_private_observations_and_handover_answers(client: ServiceClient, settings: Settings) -> None:
    db = settings.database_url or ""
    kim, lee, max_ = [await register(client, n, db) for n in ("Kim", "Lee", "Max")]
    assert await kim.call("next_steps", j.NextSteps) == j.NextSteps()
    await kim.call("record", j.Saved, entry={"kind": "victory", "text": "Walked to the shop"})
    await kim.call("invite", j.Saved, pseudonym="Lee", role="keeper")
    await kim.call("invite", j.Saved, pseudonym="Max", role="encourager")
    (invited,) = (await lee.call("next_steps", j.NextSteps)).supporting
    assert (invited.owner_name, invited.role, invited.status) == ("Kim", "keeper", "invited")
    await lee.call("respond", j.Saved, journal_id=invited.journal_id, accept=True)
    await max_.call("respond", j.Saved, journal_id=invited.journal_id, accept=True)

    await lee.call("propose_stage", j.Saved, journal_id=invited.journal_id, stage="kept_together")
    await lee.call("observe", j.Saved, journal_id=invited.journal_id, text="You laughed at dinner")
    await max_.call("observe", j.Saved, journal_id=invited.journal_id, text="You answered my call")
    steps = await kim.call("next_steps", j.NextSteps)
    assert (steps.has_entries, steps.pending_stage, steps.proposed_by, steps.observations, steps.to_confirm) == (
        True, "kept_together", "Lee", 2, 0,
    )  # fmt: skip
    assert (await lee.call("next_steps", j.NextSteps)).supporting[0].pending_stage == "kept_together"

    await kim.call("decline_stage", j.Saved)
    steps_lee = await lee.timeline(journal_id=invited.journal_id)
    assert steps_lee.journal.pending_stage is None and steps_lee.journal.stage == "member_keeps"
    answer = next(i for i in steps_lee.items if i.kind == "handover")
    assert (answer.step, answer.stage, answer.by) == ("declined", "kept_together", "Kim")

    await lee.call("propose_stage", j.Saved, journal_id=invited.journal_id, stage="kept_together")
    await kim.call("accept_stage", j.Saved)
    await lee.call("record", j.Saved, journal_id=invited.journal_id, entry={"kind": "victory", "text": "Kim cooked"})
    assert (await kim.call("next_steps", j.NextSteps)).to_confirm == 1

    by_text = {o.text: o for o in (await kim.call("observations", j.ObservationsView)).items}
    await kim.call(
        "resolve_observation", j.Saved, observation_id=by_text["You laughed at dinner"].observation_id,
        resolution="kept_private",
    )  # fmt: skip
    await kim.call(
        "resolve_observation", j.Saved, observation_id=by_text["You answered my call"].observation_id,
        resolution="accepted",
    )  # fmt: skip
    seen = {i.text: (i.by, i.private) for i in (await kim.timeline()).items if i.kind == "observation"}
    assert seen == {"You laughed at dinner": ("Lee", True), "You answered my call": ("Max", False)}
    # the private one reaches the member only (not even its author); a supporter sees their own accepted one
    for supporter, expected in ((lee, []), (max_, ["You answered my call"])):
        view = await supporter.timeline(journal_id=invited.journal_id)
        assert [i.text for i in view.items if i.kind == "observation"] == expected
    assert (await kim.call("next_steps", j.NextSteps)).observations == 0


async def test_a_claim_link_is_checked_before_anyone_signs_in(client: ServiceClient, settings: Settings) -> None:
    db = settings.database_url or ""
    sam, alex = await register(client, "Sam", db), await register(client, "Alex", db)
    started = await sam.call("start_for", sup.StartedFor, for_name="Alex")
    assert (await sam.call("check_claim", sup.ClaimCheck, code=started.claim_code)).valid
    assert not (await sam.call("check_claim", sup.ClaimCheck, code="not-a-code")).valid
    await alex.call("claim", j.Saved, code=started.claim_code)
    assert not (await sam.call("check_claim", sup.ClaimCheck, code=started.claim_code)).valid
