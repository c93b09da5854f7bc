"""Erasure in the journal (ADR 35), with the accounts service publishing ``accounts.member_erased``
as it does: a member who leaves takes their journal, their keys and their own words with them; a
supporter who leaves leaves the member's journal whole; a rebuild brings nothing back."""

from __future__ import annotations

import datetime as dt
from uuid import UUID, uuid4

import asyncpg
import msgspec
import pytest

from services.journal.domain.journal import own_journal_id
from services.journal.erasure import member_erased
from services.journal.events import MemberErased
from services.journal.main import SERVICE
from shared.bus.connection import connect
from shared.bus.rpc import ServiceClient
from shared.contracts import journal as j
from shared.contracts import supporters as sup
from shared.contracts.accounts import MEMBER_REGISTERED
from shared.contracts.erasure import APPLIED, PLACEHOLDER_SUPPORTER
from shared.crypto import KeyRing
from shared.db import create_pool
from shared.errors import Invalid, NotFound
from shared.eventstore.store import ANY, EventStore, Position
from shared.messages import Event, EventRegistry, NewEvent
from shared.projections import rebuild, rebuild_from_stream
from shared.service import ServiceContext, consumer_spec
from shared.settings import Settings
from shared.testing.plugin import eventually
from tests.support.member_erased import dump, erase, erased_in, opened, openers, stream_messages
from tests.support.people import Person, register

pytestmark = [pytest.mark.integration, pytest.mark.timeout(120)]

JOURNAL_TABLES = (
    "journals", "supporters", "claim_codes", "entries", "notes", "observations", "activity", "progress_days",
    "progress_themes",
)  # fmt: skip


async def _count(db: str, sql: str, *args: object) -> int:
    conn = await asyncpg.connect(db)
    try:
        return int(await conn.fetchval(sql, *args))
    finally:
        await conn.close()


async def _left_of_journal(db: str, journal_id: UUID) -> dict[str, int]:
    return {
        t: await _count(db, f"SELECT count(*) FROM journal.{t} WHERE journal_id = $1", journal_id)
        for t in JOURNAL_TABLES
    }


async def _read_models(db: str) -> dict[str, list[dict[str, object]]]:
    conn = await asyncpg.connect(db)
    try:
        return {
            t: [dict(r) for r in await conn.fetch(f"SELECT * FROM journal.{t} ORDER BY 1, 2")]
            for p in SERVICE.projections
            for t in p.tables
        }
    finally:
        await conn.close()


async def _rebuild_everything(settings: Settings) -> None:
    """Every journal read model from the log, and ``people`` from the accounts stream."""
    db = settings.database_url or ""
    store = EventStore("journal", SERVICE.registry)
    pool = await create_pool(db, schema="journal", min_size=1, max_size=2)
    nc = await connect(settings.servers()[1], name="rebuild")
    try:
        for projection in SERVICE.projections:
            await rebuild(pool, store, projection)
        (sub,) = [s for s in SERVICE.subscriptions if s.purpose == "people"]
        ctx = ServiceContext(settings=settings, pool=pool, nc=nc, store=store)
        spec = consumer_spec(settings.nats_prefix, "journal", sub)
        await rebuild_from_stream(
            pool, nc.jetstream(), schema="journal", tables=sub.tables, stream=spec.stream,
            filter_subjects=spec.filter_subjects, handler=sub.make_handler(ctx),
        )  # fmt: skip
    finally:
        await nc.close()
        await pool.close()


async def _applied(settings: Settings) -> list[MemberErased]:
    """The journal's erasure events, as published to JetStream."""
    out = []
    for data in await stream_messages(settings, "journal"):
        recorded = msgspec.json.decode(data)
        if recorded["event_type"] == APPLIED["journal"]:
            out.append(msgspec.convert(recorded["data"], MemberErased))
    return out


async def test_an_erased_member_takes_their_journal_and_its_keys_with_them(
    client: ServiceClient, settings: Settings
) -> None:
    db = settings.database_url or ""
    robin, kim, ana = [await register(client, n, db) for n in ("Robin Erased", "Kim Lane", "Ana Stays")]
    await robin.call("record", j.Saved, entry={"kind": "victory", "text": "ROBIN-WIN lake", "visibility": "supporters",
                                               "themes": ["healthy-habits"]})  # fmt: skip
    await robin.call("record", j.Saved, entry={"kind": "mood", "mood": 4})
    await robin.call("invite", j.Saved, pseudonym="Kim Lane", role="encourager")
    await robin.call("invite", j.Saved, pseudonym="Ana Stays", role="keeper")  # not answered yet
    jid = (await robin.timeline()).journal.journal_id
    await kim.call("respond", j.Saved, journal_id=jid, accept=True)
    shared = next(i.entry for i in (await kim.timeline(journal_id=jid)).items if i.entry)
    await kim.call("note", j.Saved, entry_id=shared.entry_id, text="KIM-NOTE proud of you")
    await kim.call("observe", j.Saved, journal_id=jid, text="KIM-SAW the walks")
    await robin.call("propose_stage", j.Saved, stage="kept_together")
    await ana.call("record", j.Saved, entry={"kind": "victory", "text": "ANA-WIN tea"})
    ana_jid = own_journal_id(ana.id)
    ana_before = await _left_of_journal(db, ana_jid)

    await erase(db, robin.id)
    await erased_in(db, "journal", robin.id)

    assert await _left_of_journal(db, jid) == dict.fromkeys(JOURNAL_TABLES, 0)
    for gone in (jid, robin.id):
        assert await _count(db, "SELECT count(*) FROM journal.member_keys WHERE member_id = $1", gone) == 0
    assert await _count(db, "SELECT count(*) FROM journal.erased_journals WHERE journal_id = $1", jid) == 1
    assert await _count(db, "SELECT count(*) FROM journal.people WHERE member_id = $1", robin.id) == 0
    # their supporters simply no longer find it; nobody can invite them; nothing is left to export
    assert (await kim.call("supporting", sup.SupportingView)).journals == ()
    assert (await ana.call("next_steps", j.NextSteps)).supporting == ()
    with pytest.raises(NotFound):
        await kim.timeline(journal_id=jid)
    with pytest.raises(NotFound):
        await kim.call("observe", j.Saved, journal_id=jid, text="still here?")
    with pytest.raises(Invalid, match="couldn't find anyone"):
        await ana.call("invite", j.Saved, pseudonym="Robin Erased", role="encourager")
    with pytest.raises(NotFound):
        await robin.call("export", j.ExportView)
    with pytest.raises(NotFound):
        await robin.call("record", j.Saved, entry={"kind": "victory", "text": "back again"})
    # what is left in the database and in JetStream opens to nothing of theirs with the keys left
    keys = await openers(db, "journal", KeyRing(settings.keys_path))
    everything = dump(db) + "".join(m.decode() for m in await stream_messages(settings, "journal"))
    revealed = " ".join(opened(everything, keys))
    assert "ANA-WIN" in revealed  # the keys left do open what is left
    for word in ("ROBIN-WIN", "KIM-NOTE", "KIM-SAW"):
        assert word not in revealed and word not in everything, word
    # journal.member_erased is published, ids only
    applied = await eventually(lambda: _applied(settings))
    assert applied == [MemberErased(member_id=robin.id, journals=(jid,), erased_at=applied[0].erased_at)]

    # erased twice, and the same message applied again: nothing changes, nothing fails
    await erase(db, robin.id)
    erasures = "SELECT count(*) FROM journal.processed_events WHERE consumer LIKE '%journal-erasure'"
    await eventually(lambda: _at_least(db, erasures, 2))
    await _apply_again(db, robin.id)
    assert len(await _applied(settings)) == 1
    assert await _count(db, "SELECT count(*) FROM journal.events WHERE event_type = $1", APPLIED["journal"]) == 1
    assert await _count(db, "SELECT count(*) FROM journal.parked_messages") == 0
    assert await _left_of_journal(db, ana_jid) == ana_before
    assert await ana.texts() == ["ANA-WIN tea"]

    # a rebuild of every read model brings nothing back
    await _rebuild_everything(settings)
    assert await _left_of_journal(db, jid) == dict.fromkeys(JOURNAL_TABLES, 0)
    assert await _count(db, "SELECT count(*) FROM journal.people WHERE member_id = $1", robin.id) == 0
    assert await _count(db, "SELECT count(*) FROM journal.notes WHERE author_id = $1", kim.id) == 0
    assert await _left_of_journal(db, ana_jid) == ana_before


async def _at_least(db: str, sql: str, n: int) -> bool:
    return await _count(db, sql) >= n


async def _apply_again(db: str, member_id: UUID) -> None:
    """The journal's handler, given accounts' first erasure of the member once more (as a
    redelivery past the processed-event record would)."""

    accounts = EventStore("accounts", EventRegistry([]))
    conn = await asyncpg.connect(db)
    try:
        first = next(
            r for r in await accounts.read_committed(conn, Position(), 1000, horizon=False)
            if r.event_type == "accounts.member_erased.v1"
        )  # fmt: skip
        async with conn.transaction():
            await member_erased(EventStore("journal", SERVICE.registry))(conn, first)
    finally:
        await conn.close()


async def _supported_by_sam(client: ServiceClient, db: str) -> tuple[Person, Person, Person, UUID]:
    """Sam kept Alex's journal until Alex claimed it; Kim encourages; Sam wrote entries, notes and
    observations (one accepted), proposed a step, and keeps a journal of his own."""
    sam, alex, kim = [await register(client, n, db) for n in ("Sam Quill", "Alex Reed", "Kim Lane")]
    started = await sam.call("start_for", sup.StartedFor, for_name="Alex")
    jid = started.journal_id
    entry = {"kind": "victory", "text": "FOR-ALEX breakfast", "visibility": "supporters", "themes": ["self-worth"]}
    written = await sam.call("record", j.Saved, journal_id=jid, entry=entry)
    await alex.call("claim", j.Saved, code=started.claim_code)
    await alex.call("invite", j.Saved, pseudonym="Kim Lane", role="encourager")
    await kim.call("respond", j.Saved, journal_id=jid, accept=True)
    await sam.call("note", j.Saved, entry_id=written.id, text="SAM-NOTE so proud")
    await kim.call("note", j.Saved, entry_id=written.id, text="KIM-NOTE well done")
    kept = await sam.call("observe", j.Saved, journal_id=jid, text="SAM-ACCEPTED you went out")
    await sam.call("observe", j.Saved, journal_id=jid, text="SAM-PENDING you smiled")
    await alex.call("resolve_observation", j.Saved, observation_id=kept.id, resolution="accepted")
    await sam.call("propose_stage", j.Saved, journal_id=jid, stage="kept_together")
    await sam.call("record", j.Saved, entry={"kind": "victory", "text": "SAM-OWN tea"})
    return sam, alex, kim, jid


async def test_an_erased_supporter_leaves_the_members_journal_whole(client: ServiceClient, settings: Settings) -> None:
    db = settings.database_url or ""
    sam, alex, kim, jid = await _supported_by_sam(client, db)
    before = await alex.timeline()
    assert [i.by for i in before.items if i.kind == "observation"] == ["Sam Quill"]

    await erase(db, sam.id)
    await erased_in(db, "journal", sam.id)

    view = await alex.timeline()
    entries = [i.entry for i in view.items if i.entry]
    assert [(e.author_name, e.on_behalf, e.text) for e in entries] == [
        (PLACEHOLDER_SUPPORTER, True, "FOR-ALEX breakfast")
    ]
    assert [(n.author_name, n.text) for n in entries[0].notes] == [("Kim Lane", "KIM-NOTE well done")]
    noticed = [(i.by, i.text) for i in view.items if i.kind == "observation"]
    assert noticed == [(PLACEHOLDER_SUPPORTER, "SAM-ACCEPTED you went out")]  # the member's record stays
    assert view.pending == ()
    assert [s.name for s in view.journal.supporters] == ["Kim Lane"]
    steps = [i.by for i in view.items if i.kind == "handover"]
    assert steps and set(steps) == {PLACEHOLDER_SUPPORTER}
    next_steps = await alex.call("next_steps", j.NextSteps)
    assert (next_steps.pending_stage, next_steps.proposed_by) == ("kept_together", PLACEHOLDER_SUPPORTER)
    exported = await alex.call("export", j.ExportView)
    assert [e.author_name for e in exported.entries] == [PLACEHOLDER_SUPPORTER]
    assert [o.text for o in exported.observations] == ["SAM-ACCEPTED you went out"]
    progress = await alex.call("progress", j.ProgressView)
    assert progress.total_victories == 1
    assert await kim.texts(journal_id=jid) == ["FOR-ALEX breakfast"]  # other supporters untouched
    await alex.call("accept_stage", j.Saved)  # the step Sam proposed is still Alex's to answer
    assert (await alex.timeline()).journal.stage == "kept_together"
    with pytest.raises(Invalid, match="couldn't find anyone"):
        await alex.call("invite", j.Saved, pseudonym="Sam Quill", role="keeper")
    with pytest.raises(NotFound):  # their place ended
        await sam.call("note", j.Saved, entry_id=entries[0].entry_id, text="still here?")
    assert await _left_of_journal(db, own_journal_id(sam.id)) == dict.fromkeys(JOURNAL_TABLES, 0)
    assert await _count(db, "SELECT count(*) FROM journal.member_keys WHERE member_id = $1", sam.id) == 0

    # every sealed token in the database and in JetStream, opened with every key left: Sam's own
    # words are gone, what became Alex's record still reads, and his name is nowhere in the journal
    keys = await openers(db, "journal", KeyRing(settings.keys_path))
    journal_part = dump(db, schema="journal")
    everything = dump(db) + "".join(m.decode() for m in await stream_messages(settings, "journal"))
    revealed = " ".join(opened(everything, keys))
    for kept in ("FOR-ALEX", "SAM-ACCEPTED", "KIM-NOTE"):
        assert kept in revealed, kept
    for gone in ("SAM-NOTE", "SAM-PENDING", "SAM-OWN"):
        assert gone not in revealed and gone not in everything, gone
    journal_stream = "".join(m.decode() for m in await stream_messages(settings, "journal"))
    assert "Sam Quill" not in journal_part and "Sam Quill" not in journal_stream
    assert "Sam Quill" not in revealed

    # a rebuild of every read model after it brings back exactly what the live ones hold
    live = await _read_models(db)
    await _rebuild_everything(settings)
    assert await _read_models(db) == live
    assert await _count(db, "SELECT count(*) FROM journal.people WHERE member_id = $1", sam.id) == 0


async def test_a_member_registered_without_a_pseudonym_is_named_by_asking_accounts(
    client: ServiceClient, settings: Settings
) -> None:
    """Accounts no longer puts the pseudonym in its event: the journal asks accounts for it; a late
    event about an erased member brings nobody back."""
    db = settings.database_url or ""
    robin = await register(client, "Robin Asked", db)
    conn = await asyncpg.connect(db)
    try:
        await conn.execute("DELETE FROM journal.people WHERE member_id = $1", robin.id)
    finally:
        await conn.close()
    await _registered_without_name(db, robin.id)
    known = "SELECT count(*) FROM journal.people WHERE member_id = $1 AND pseudonym = 'Robin Asked'"
    await eventually(lambda: _count(db, known, robin.id))

    await erase(db, robin.id)
    await erased_in(db, "journal", robin.id)
    await _registered_without_name(db, robin.id)
    people = "SELECT count(*) FROM journal.processed_events WHERE consumer LIKE '%journal-people'"
    await eventually(lambda: _at_least(db, people, 3))
    assert await _count(db, "SELECT count(*) FROM journal.people WHERE member_id = $1", robin.id) == 0
    assert await _count(db, "SELECT count(*) FROM journal.parked_messages") == 0


async def _registered_without_name(db: str, member_id: UUID) -> None:
    class Registered(Event, tag=MEMBER_REGISTERED, frozen=True, kw_only=True):
        member_id: UUID
        pseudonym: str = ""
        registered_at: dt.datetime

    event = Registered(member_id=member_id, registered_at=dt.datetime.now(dt.UTC))
    conn = await asyncpg.connect(db)
    try:
        async with conn.transaction():
            await EventStore("accounts", EventRegistry([Registered])).append(
                conn, f"member-{member_id}", [NewEvent(event_id=uuid4(), event=event)], expected=ANY
            )
    finally:
        await conn.close()
