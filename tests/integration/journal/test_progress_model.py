"""The progress read model (ADR 26): what the page says equals a recomputation from the entries,
for the owner and for a supporter, after records, edits and retractions; a rebuild gives the
same rows."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

import asyncpg
import pytest

from services.journal import progress as p
from services.journal.access import Access, sees_entry
from shared.bus.rpc import ServiceClient
from shared.contracts import journal as j
from shared.settings import Settings
from tests.support.people import Person, register

pytestmark = pytest.mark.integration
TODAY = dt.datetime.now(dt.UTC).date()


def ago(days: int) -> str:
    return (TODAY - dt.timedelta(days=days)).isoformat()


def _said(v: j.ProgressView) -> tuple[object, ...]:
    """Everything the progress view says, apart from the journal."""
    return (
        v.weeks, v.themes, v.first, v.last, v.total_victories,
        v.bounce_back_days, v.bounce_back_typical, v.bounce_back_sample,
    )  # fmt: skip


async def _recomputed(db: str, journal_id: UUID, access: Access, actor: UUID) -> tuple[object, ...]:
    """What the view should say, from every entry the viewer may see, by the definitions over points."""
    conn = await asyncpg.connect(db)
    try:
        rows = await conn.fetch(
            "SELECT kind, occurred_on, mood, themes, recorded_at, visibility, author_id FROM journal.entries"
            " WHERE journal_id = $1 AND NOT retracted",
            journal_id,
        )
    finally:
        await conn.close()
    points = [
        p.Point(kind=r["kind"], day=r["occurred_on"], mood=r["mood"], themes=tuple(r["themes"]), recorded_at=r["recorded_at"])
        for r in rows
        if sees_entry(access, actor, r["visibility"], r["author_id"])
    ]  # fmt: skip
    first, last = p.then_and_now(points)
    bounce = p.bounce_back_of(tuple(reversed(p.bounce_back(points)[-p.BOUNCE_SAMPLE :])))
    return (
        p.weekly_mood(points), p.victories_by_theme(points), first, last, sum(pt.kind == "victory" for pt in points),
        bounce.days, bounce.typical, bounce.sample,
    )  # fmt: skip


async def _same(db: str, person: Person, journal_id: UUID, access: Access) -> j.ProgressView:
    view = await person.call("progress", j.ProgressView, journal_id=journal_id)
    assert _said(view) == await _recomputed(db, journal_id, access, person.id), person.name
    return view


async def _rows(db: str) -> dict[str, list[dict[str, object]]]:
    conn = await asyncpg.connect(db)
    try:
        return {
            t: [dict(r) for r in await conn.fetch(f"SELECT * FROM journal.{t} ORDER BY 1, 2, 3, 4")]
            for t in ("progress_days", "progress_themes")
        }
    finally:
        await conn.close()


async def _journal_with_a_supporter(client: ServiceClient, db: str) -> tuple[Person, Person, UUID]:
    robin, kim = await register(client, "Robin", db), await register(client, "Kim", db)
    await robin.call("record", j.Saved, entry={"kind": "mood", "mood": 2, "text": "t", "occurred_on": ago(60)})
    jid = (await robin.timeline()).journal.journal_id
    await robin.call("invite", j.Saved, pseudonym="Kim", role="keeper")
    await kim.call("respond", j.Saved, journal_id=jid, accept=True)
    await robin.call("propose_stage", j.Saved, stage="kept_together")  # so that Kim may write entries too
    return robin, kim, jid


async def test_the_counts_equal_the_entries_for_owner_and_supporter_through_edits_and_retractions(
    client: ServiceClient, settings: Settings
) -> None:
    db = settings.database_url or ""
    robin, kim, jid = await _journal_with_a_supporter(client, db)
    ids = []
    for days, entry in [
        (59, {"kind": "setback", "visibility": "supporters"}),
        (57, {"kind": "victory", "themes": ["self-worth", "learning"], "visibility": "supporters"}),
        (40, {"kind": "victory", "themes": ["learning"]}),
        (20, {"kind": "setback"}),
        (3, {"kind": "mood", "mood": 4, "visibility": "supporters"}),
        (2, {"kind": "victory", "themes": ["healthy-habits"], "visibility": "supporters"}),
    ]:
        ids.append((await robin.call("record", j.Saved, entry={"text": "t", **entry, "occurred_on": ago(days)})).id)
    written = await kim.call(
        "record", j.Saved, journal_id=jid, entry={"kind": "victory", "text": "k", "themes": ["learning"]}
    )
    await _same(db, robin, jid, Access.OWNER)
    await _same(db, kim, jid, Access.KEEPER)

    # an edit moves a victory to another day, theme and visibility; another entry is retracted
    entry = await robin.call("entry", j.EntryView, entry_id=ids[2])
    await robin.call(
        "edit", j.Saved, entry_id=ids[2], expected_version=entry.version,
        entry={"kind": "victory", "text": "t", "themes": ["advocacy"], "occurred_on": ago(10), "visibility": "supporters"},
    )  # fmt: skip
    await robin.call("retract", j.Saved, entry_id=ids[1])
    await kim.call("retract", j.Saved, entry_id=written.id)
    owner = await _same(db, robin, jid, Access.OWNER)
    supporter = await _same(db, kim, jid, Access.KEEPER)
    assert [t.theme for t in owner.themes] == ["advocacy", "healthy-habits"]
    assert owner.first is not None and owner.first.setbacks == 1 and supporter.total_victories == 2
    assert owner.bounce_back_days == (49, 10)  # the retracted victory no longer ends the first setback

    conn = await asyncpg.connect(db)
    try:  # nothing is left behind at zero
        assert not await conn.fetchval("SELECT count(*) FROM journal.progress_days WHERE entries = 0")
        assert not await conn.fetchval("SELECT count(*) FROM journal.progress_themes WHERE victories = 0")
    finally:
        await conn.close()


async def test_many_bounce_backs_are_summed_up_from_the_most_recent(client: ServiceClient, settings: Settings) -> None:
    db = settings.database_url or ""
    robin, kim, jid = await _journal_with_a_supporter(client, db)
    for i in range(p.BOUNCE_LISTED + 2):
        shared = "supporters" if i % 2 else "private"
        await robin.call(
            "record",
            j.Saved,
            entry={"kind": "setback", "text": "t", "occurred_on": ago(40 - 3 * i), "visibility": shared},
        )
        later = {"kind": "victory", "text": "t", "occurred_on": ago(40 - 3 * i - i % 3), "visibility": shared}
        await robin.call("record", j.Saved, entry=later)
    owner = await _same(db, robin, jid, Access.OWNER)
    assert owner.bounce_back_sample == p.BOUNCE_LISTED + 2 and len(owner.bounce_back_days) == p.BOUNCE_RECENT
    assert owner.bounce_back_typical == 1
    supporter = await _same(db, kim, jid, Access.KEEPER)  # sees half of them: each is listed
    assert supporter.bounce_back_typical is None and len(supporter.bounce_back_days) == (p.BOUNCE_LISTED + 2) // 2


async def test_a_rebuild_gives_the_same_counts(client: ServiceClient, settings: Settings) -> None:
    from services.journal.main import SERVICE
    from services.journal.projections import ENTRIES
    from shared.eventstore.store import EventStore
    from shared.projections import rebuild

    db = settings.database_url or ""
    robin, kim, jid = await _journal_with_a_supporter(client, db)
    first = await robin.call(
        "record", j.Saved, entry={"kind": "victory", "text": "t", "themes": ["learning"], "occurred_on": ago(5)}
    )
    await robin.call(
        "record", j.Saved, entry={"kind": "setback", "text": "t", "occurred_on": ago(4), "visibility": "supporters"}
    )
    await kim.call("record", j.Saved, journal_id=jid, entry={"kind": "victory", "text": "k", "themes": ["learning"]})
    entry = await robin.call("entry", j.EntryView, entry_id=first.id)
    await robin.call(
        "edit", j.Saved, entry_id=first.id, expected_version=entry.version,
        entry={"kind": "victory", "text": "t", "themes": ["advocacy"], "occurred_on": ago(1)},
    )  # fmt: skip
    retracted = await robin.call("record", j.Saved, entry={"kind": "mood", "mood": 5, "text": "t"})
    await robin.call("retract", j.Saved, entry_id=retracted.id)
    before = await _rows(db)
    pool = await asyncpg.create_pool(db, min_size=1, max_size=2)
    try:
        await rebuild(pool, EventStore("journal", SERVICE.registry), ENTRIES)
    finally:
        await pool.close()
    assert await _rows(db) == before
    assert before["progress_days"] and before["progress_themes"]
