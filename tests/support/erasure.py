"""Accounts' events as accounts would write them, for tests of the services that follow them: appended
to the accounts log, whose relay publishes them like any other (``accounts.member_erased`` is
accounts' to decide; these tests only need it to arrive)."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from typing import Any
from uuid import UUID, uuid4

import asyncpg

from shared.contracts.accounts import MEMBER_REGISTERED
from shared.contracts.erasure import MEMBER_ERASED
from shared.crypto import KeyRing, Opener
from shared.eventstore.store import ANY, EventStore
from shared.messages import Event, EventRegistry, Metadata, NewEvent
from shared.runtime.postgres import pg_bin
from shared.settings import Settings

TOKEN = re.compile(r"v1\.[A-Za-z0-9_\-]+=*")


class MemberErased(Event, tag=MEMBER_ERASED, frozen=True, kw_only=True):
    member_id: UUID
    erased_at: dt.datetime


class MemberRegistered(Event, tag=MEMBER_REGISTERED, frozen=True, kw_only=True):
    """As accounts writes it once pseudonyms no longer travel in clear: the pseudonym left empty."""

    member_id: UUID
    pseudonym: str = ""
    registered_at: dt.datetime


ACCOUNTS = EventStore("accounts", EventRegistry([MemberErased, MemberRegistered]))


async def append_to_accounts(database_url: str, stream: str, event: Event) -> UUID:
    """Append ``event`` to the accounts log (its relay publishes it); returns the event's id."""
    event_id = uuid4()
    conn = await asyncpg.connect(database_url)
    try:
        async with conn.transaction():
            new = [NewEvent(event_id=event_id, event=event)]
            await ACCOUNTS.append(conn, stream, new, expected=ANY, metadata=Metadata(correlation_id=f"test-{event_id}"))
    finally:
        await conn.close()
    return event_id


async def erase(database_url: str, member: UUID, at: dt.datetime | None = None) -> UUID:
    """Accounts has decided: ``member`` is erased (``accounts.member_erased``, ids only)."""
    erased = MemberErased(member_id=member, erased_at=at or dt.datetime.now(dt.UTC))
    return await append_to_accounts(database_url, f"erasure-{member}", erased)


# --- looking for what is left of someone ---------------------------------------------------------


def schema_dump(settings: Settings, schema: str) -> str:
    """The data of one service's schema, as ``pg_dump`` writes it."""
    done = subprocess.run(
        [str(pg_bin("pg_dump")), "--data-only", "--no-owner", f"--schema={schema}", settings.database_url or ""],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    return done.stdout


async def stream_text(nc: Any, name: str) -> str:
    """Every message a JetStream stream holds, as it holds it."""
    js = nc.jetstream()
    info = await js.stream_info(name)
    held = [await js.get_msg(name, seq) for seq in range(info.state.first_seq, info.state.last_seq + 1)]
    return "\n".join(m.data.decode() for m in held)


def opened_tokens(text: str, keys: list[tuple[UUID, bytes]], ring: KeyRing) -> list[str]:
    """Every sealed token in ``text`` that opens with one of ``keys`` (member id, wrapped data key)."""
    tokens, found = sorted(set(TOKEN.findall(text))), []
    for member, wrapped in keys:
        opener = Opener(ring.unwrap(wrapped, member), member)
        for token in tokens:
            try:
                found.append(opener.open(token))
            except ValueError:
                continue
    return found
