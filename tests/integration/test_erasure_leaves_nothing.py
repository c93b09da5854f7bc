"""Erasure, whole: a member with a unique marker in their pseudonym, e-mail address, journal
entries, notes as a supporter, a story, a reply and another member's inbox is erased through the
operator's path with every service running. Afterwards neither a ``pg_dump`` of the whole database
nor any JetStream stream holds the marker, the pseudonym or the address in clear, and no sealed
value opens to them with any key the key file still opens; another member's words still open;
and a rebuild of every read model brings nothing back (docs/adr/0034-erasure.md)."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Iterable

import asyncpg
import nats
import pytest
import pytest_asyncio

from shared.bus.connection import connect
from shared.bus.rpc import ServiceClient
from shared.bus.streams import event_stream
from shared.contracts import accounts as acc
from shared.contracts import journal as j
from shared.contracts import stories as s
from shared.contracts.erasure import APPLIED
from shared.crypto import KeyRing
from shared.service import consumed_read_models
from shared.settings import Settings
from shared.testing.plugin import eventually
from smallwins import commands
from smallwins.registry import SERVICES
from smallwins.servers import operator
from tests.support.member_erased import dump, opened, openers
from tests.support.people import IN_THE_INBOX, Person, register
from tests.support.stories import Teller

pytestmark = pytest.mark.integration
SCHEMAS = ("accounts", "journal", "stories", "notifications")


@pytest_asyncio.fixture
async def client(settings: Settings, system: object) -> AsyncIterator[ServiceClient]:
    nc = await connect(settings.servers()[1], name="test")
    yield ServiceClient(nc, settings.nats_prefix)
    await nc.close()


def _marker() -> str:
    return "zq" + "".join(secrets.choice("bcdfghjkmnpvwx") for _ in range(8))


async def _fetch(database_url: str, query: str, *args: object) -> list[asyncpg.Record]:
    conn = await asyncpg.connect(database_url)
    try:
        return list(await conn.fetch(query, *args))
    finally:
        await conn.close()


async def _streams(settings: Settings) -> str:
    """Every message, headers included, of every service's JetStream stream."""
    nc = await nats.connect(settings.servers()[1])
    out: list[str] = []
    try:
        js = nc.jetstream()
        for service in SCHEMAS:
            name = event_stream(settings.nats_prefix, service).name
            info = await js.stream_info(name)
            for seq in range(info.state.first_seq, info.state.last_seq + 1) if info.state.messages else ():
                msg = await js.get_msg(name, seq)
                out.append(f"{msg.headers or {}} {(msg.data or b'').decode()}")
    finally:
        await nc.close()
    return "\n".join(out)


async def _readable(settings: Settings, text: str) -> list[str]:
    """What every sealed value in ``text`` reveals with every key the key file still opens."""
    ring = KeyRing(settings.keys_path)
    keys = [o for schema in SCHEMAS for o in await openers(settings.database_url or "", schema, ring)]
    return opened(text, keys)


async def _nothing_of(settings: Settings, secrets_: Iterable[str], still: str) -> None:
    """Neither the database nor any stream holds ``secrets_`` in clear or sealed under a kept key,
    while ``still`` (another member's words) is there and opens."""
    for where, text in (("database", dump(settings.database_url or "")), ("streams", await _streams(settings))):
        lowered = text.lower()
        readable = [t.lower() for t in await _readable(settings, text)]
        for secret in secrets_:
            assert secret.lower() not in lowered, f"{secret!r} in clear in the {where}"
            assert not [t for t in readable if secret.lower() in t], f"{secret!r} opens in the {where}"
        if where == "database":
            assert any(still in t for t in readable), "another member's words must still open"


async def _world(client: ServiceClient, settings: Settings, mark: str, other: str) -> tuple[Person, Person]:
    db = settings.database_url or ""
    wren = await register(client, f"Wren {mark}", db, known_to=IN_THE_INBOX)
    olu = await register(client, "Olu", db, known_to=IN_THE_INBOX)
    # Wren's own journal, and notes as Olu's supporter
    await wren.call("record", j.Saved, entry={"kind": "victory", "text": f"{mark} walked to the lake"})
    await wren.call("record", j.Saved, entry={"kind": "setback", "text": f"{mark} a hard day", "helped": f"{mark} tea"})
    await olu.call(
        "record", j.Saved, entry={"kind": "victory", "text": f"{other} called my sister", "visibility": "supporters"}
    )
    await olu.call("invite", j.Saved, pseudonym=wren.name, role="encourager")
    olu_journal = (await olu.timeline()).journal.journal_id
    await wren.call("respond", j.Saved, journal_id=olu_journal, accept=True)
    shared = next(i.entry for i in (await wren.timeline(journal_id=olu_journal)).items if i.entry)
    await wren.call("note", j.Saved, entry_id=shared.entry_id, text=f"{mark} so proud of you")
    await wren.call("observe", j.Saved, journal_id=olu_journal, text=f"{mark} you laughed twice this week")
    # a story and a reply of Wren's, published; Olu's story, which Wren answers
    teller, olu_teller = Teller(client, wren.name, member_id=wren.id), Teller(client, olu.name, member_id=olu.id)
    mod = Teller(client, "Moderator", "moderator")
    story = await teller.submit(f"{mark} first light", f"{mark}: I opened the curtains today.")
    await mod.moderate(story.id)
    olu_story = await olu_teller.submit(f"{other} out of the fog", f"{other}: I asked my GP for help.")
    await mod.moderate(olu_story.id)
    reply = await teller.call("reply", s.Posted, story_id=olu_story.id, body=f"{mark} this helped me")
    await mod.moderate(reply.id)
    await olu_teller.call("encourage", s.Done, story_id=story.id, kind="proud")

    async def olu_told() -> bool:  # Olu's inbox names Wren: "Wren … replied to your story"
        rows = await _fetch(db, "SELECT title FROM notifications.inbox WHERE member_id = $1", olu.id)
        return any(mark in r["title"].lower() for r in rows)

    await eventually(olu_told, timeout=20)
    return wren, olu


async def test_an_erased_member_leaves_nothing_readable_anywhere(client: ServiceClient, settings: Settings) -> None:
    mark, other = _marker(), _marker()
    wren, olu = await _world(client, settings, mark, other)
    email = wren.name.lower().replace(" ", ".") + "@example.org"
    assert mark in dump(settings.database_url or "").lower()  # the test can see it before

    done = await client.ask(acc.ERASE_NOW, acc.EraseNowRequest(pseudonym=wren.name), actor=operator())
    assert done.member_id == wren.id

    async def applied_everywhere() -> bool:
        rows = await _fetch(
            settings.database_url or "",
            "SELECT service FROM accounts.erasure_applied WHERE member_id = $1 AND applied_at IS NOT NULL",
            wren.id,
        )
        return {r["service"] for r in rows} == set(APPLIED)

    await eventually(applied_everywhere, timeout=30)
    secrets_ = (mark, wren.name, email)
    await _nothing_of(settings, secrets_, other)

    # Olu's own journal, story and inbox are whole
    assert f"{other} called my sister" in await olu.texts()
    inbox = await _fetch(
        settings.database_url or "", "SELECT title FROM notifications.inbox WHERE member_id = $1", olu.id
    )
    assert inbox and not any(mark in r["title"].lower() for r in inbox)

    # a rebuild of every read model brings nothing back
    for name, definition in SERVICES.items():
        models = [p.name for p in definition.projections] + list(consumed_read_models(definition))
        for model in models:
            assert await commands.rebuild(settings, name, model) == 0, f"{name}.{model}"
    await _nothing_of(settings, secrets_, other)
    assert f"{other} called my sister" in await olu.texts()
