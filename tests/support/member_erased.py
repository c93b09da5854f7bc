"""Erasing a member the way accounts does it: ``accounts.member_erased`` appended to the accounts
log (ids only), which accounts' own relay publishes, as are registrations that no longer carry a
pseudonym; and reading back what is left of someone, sealed or not."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from collections.abc import Iterable
from uuid import UUID, uuid4

import asyncpg
import nats

from shared.bus.streams import event_stream
from shared.contracts.accounts import MEMBER_REGISTERED
from shared.contracts.erasure import MEMBER_ERASED
from shared.crypto import KeyRing, Opener
from shared.eventstore.store import ANY, EventStore
from shared.messages import Event, EventRegistry, Metadata, NewEvent
from shared.runtime.postgres import pg_bin
from shared.settings import Settings
from shared.testing.plugin import eventually

TOKEN = re.compile(r"v1\.[A-Za-z0-9_\-]+=*")


class MemberErased(Event, tag=MEMBER_ERASED, frozen=True, kw_only=True):
    """What accounts appends: ids only."""

    member_id: UUID
    erased_at: dt.datetime


class MemberRegistered(Event, tag=MEMBER_REGISTERED, frozen=True, kw_only=True):
    """As accounts writes it once pseudonyms no longer travel in clear: the pseudonym left empty."""

    member_id: UUID
    pseudonym: str = ""
    registered_at: dt.datetime


ACCOUNTS = EventStore("accounts", EventRegistry([MemberErased, MemberRegistered]))


async def append_to_accounts(database_url: str, stream: str, event: MemberErased | MemberRegistered) -> UUID:
    """Append ``event`` to the accounts log (its relay publishes it); returns the event's id."""
    event_id = uuid4()
    conn = await asyncpg.connect(database_url)
    try:
        async with conn.transaction():
            await ACCOUNTS.append(
                conn, stream, [NewEvent(event_id=event_id, event=event)], expected=ANY,
                metadata=Metadata(subject_id=event.member_id),
            )  # fmt: skip
    finally:
        await conn.close()
    return event_id


async def erase(database_url: str, member_id: UUID, *, at: dt.datetime | None = None) -> UUID:
    """Append ``accounts.member_erased`` for ``member_id`` (accounts' relay publishes it); its event id."""
    event = MemberErased(member_id=member_id, erased_at=at or dt.datetime.now(dt.UTC))
    return await append_to_accounts(database_url, f"erasure-{member_id}", event)


async def erased_in(database_url: str, schema: str, member_id: UUID) -> None:
    """Wait until ``schema`` has applied the erasure of ``member_id``."""

    async def done() -> bool:
        conn = await asyncpg.connect(database_url)
        try:
            return bool(await conn.fetchval(f"SELECT true FROM {schema}.erased WHERE member_id = $1", member_id))
        finally:
            await conn.close()

    await eventually(done)


def dump(database_url: str, *, schema: str = "") -> str:
    """The whole database (or one schema), as ``pg_dump --data-only`` writes it."""
    only = [f"--schema={schema}"] if schema else []
    done = subprocess.run(
        [str(pg_bin("pg_dump")), "--data-only", "--no-owner", *only, database_url],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    return done.stdout


async def stream_messages(settings: Settings, service: str) -> list[bytes]:
    """Every message in ``service``'s event stream."""
    nc = await nats.connect(settings.servers()[1])
    try:
        js = nc.jetstream()
        name = event_stream(settings.nats_prefix, service).name
        info = await js.stream_info(name)
        return [
            (await js.get_msg(name, seq)).data or b"" for seq in range(info.state.first_seq, info.state.last_seq + 1)
        ]
    finally:
        await nc.close()


async def openers(database_url: str, schema: str, ring: KeyRing) -> list[Opener]:
    """An opener for every key still kept in ``schema``."""
    conn = await asyncpg.connect(database_url)
    try:
        rows = await conn.fetch(f"SELECT member_id, key FROM {schema}.member_keys")
    finally:
        await conn.close()
    return [Opener(ring.unwrap(bytes(r["key"]), r["member_id"]), r["member_id"]) for r in rows]


def opened(text: str, keys: Iterable[Opener]) -> list[str]:
    """Everything the sealed tokens in ``text`` reveal with ``keys``, seals within seals opened too."""
    keys, out = list(keys), []
    todo = sorted(set(TOKEN.findall(text)))
    while todo:
        token = todo.pop()
        for opener in keys:
            try:
                plain = opener.open(token)
            except ValueError:
                continue
            out.append(plain)
            todo += TOKEN.findall(plain)
    return out
