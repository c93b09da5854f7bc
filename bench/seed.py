"""Realistic data for the page benchmarks, written through each service's own event store and
projections: members (with one argon2 hash shared by all, to keep seeding fast), sessions with
known tokens, and journals with sealed entries spread over three months."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Sequence

import asyncpg
from argon2 import PasswordHasher

from services.accounts.events import (
    REGISTRY as ACCOUNTS,
)
from services.accounts.events import (
    MemberRegistered,
    SessionStarted,
    member_stream,
    session_stream,
)
from services.accounts.handlers import token_hash
from services.accounts.projections import PROJECTIONS as ACCOUNT_MODELS
from services.journal.domain.journal import own_journal_id
from services.journal.events import REGISTRY as JOURNAL
from services.journal.events import EntryRecorded, JournalStarted, entry_stream, journal_stream
from services.journal.projections import PROJECTIONS as JOURNAL_MODELS
from shared.crypto import KeyStore, blind_index, new_key, seal
from shared.eventstore.store import NO_STREAM, EventStore, ExpectedVersion
from shared.messages import Event, Metadata, NewEvent
from shared.projections import Projection, project

THEMES = ("small-wins", "healthy-habits", "support-system", "self-worth", "learning")
TEXTS = ("Got out of bed and showered", "Went for a short walk", "Called a friend", "Cooked dinner", "Read for a while")


async def _append(
    conn: asyncpg.Connection,
    store: EventStore,
    models: Sequence[Projection],
    stream: str,
    events: list[Event],
    expected: ExpectedVersion = NO_STREAM,
) -> None:
    await store.append(
        conn,
        stream,
        [NewEvent(event_id=uuid.uuid4(), event=e) for e in events],
        expected=expected,
        metadata=Metadata(),
    )
    await project(conn, models, events)  # the connection's search path names the projections' schemas


async def seed(
    database_url: str, secret: str, members: int, entries_per_member: int, sessions: int, first: int = 0
) -> list[str]:
    """Returns session tokens of members who have entries; members are numbered from ``first``."""
    rng = random.Random(7)
    accounts, journal = EventStore("accounts", ACCOUNTS), EventStore("journal", JOURNAL)
    keys = KeyStore("journal")
    password_hash = PasswordHasher().hash("benchmark password")
    now = dt.datetime.now(dt.UTC)
    tokens: list[str] = []
    # projections name their tables without a schema; the journal's and accounts' never share a name
    conn = await asyncpg.connect(database_url, server_settings={"search_path": "journal, accounts, public"})
    try:
        chunk = max(1, 5000 // (entries_per_member + 2))  # members per transaction: its locks stay bounded
        for start in range(0, members, chunk):
            async with conn.transaction():
                for i in range(start, min(start + chunk, members)):
                    member_id = uuid.uuid4()
                    email = f"member{first + i}@bench.invalid"
                    registered = MemberRegistered(
                        member_id=member_id, pseudonym=f"Member {first + i}", email_sealed=seal(new_key(), email, member_id),
                        email_index=blind_index(secret, email), registered_at=now,
                    )  # fmt: skip
                    await _append(conn, accounts, ACCOUNT_MODELS, member_stream(member_id), [registered])
                    await conn.execute(
                        "INSERT INTO accounts.credentials (member_id, password_hash) VALUES ($1, $2)",
                        member_id, password_hash,
                    )  # fmt: skip
                    if i < sessions:
                        token = f"bench-session-{i}-{uuid.uuid4().hex}"
                        session_id = uuid.uuid4()
                        started = SessionStarted(
                            session_id=session_id, member_id=member_id, started_at=now,
                            expires_at=now + dt.timedelta(days=1),
                        )  # fmt: skip
                        await _append(conn, accounts, ACCOUNT_MODELS, session_stream(session_id), [started])
                        await conn.execute(
                            "INSERT INTO accounts.sessions (session_id, token_hash, member_id, started_at, expires_at)"
                            " VALUES ($1, $2, $3, $4, $5)",
                            session_id, token_hash(token), member_id, now, now + dt.timedelta(days=1),
                        )  # fmt: skip
                        tokens.append(token)
                    await _journal(conn, journal, keys, member_id, f"Member {first + i}", entries_per_member, rng, now)
    finally:
        await conn.close()
    return tokens


async def _journal(
    conn: asyncpg.Connection,
    store: EventStore,
    keys: KeyStore,
    member_id: uuid.UUID,
    name: str,
    entries: int,
    rng: random.Random,
    now: dt.datetime,
) -> None:
    jid = own_journal_id(member_id)
    started = JournalStarted(
        journal_id=jid, owner_id=member_id, owner_name=name, started_by=member_id, stage="member_keeps", started_at=now
    )
    await _append(conn, store, JOURNAL_MODELS, journal_stream(jid), [started])
    key = new_key()
    await keys.store(conn, jid, key)
    for _ in range(entries):
        kind = rng.choice(("victory", "victory", "mood", "setback"))
        entry_id = uuid.uuid4()
        text = rng.choice(TEXTS) if kind != "mood" else ""
        recorded = EntryRecorded(
            entry_id=entry_id, journal_id=jid, owner_id=member_id, kind=kind, text=seal(key, text, jid),
            helped=seal(key, "", jid), mood=rng.randint(1, 5) if kind == "mood" else None,
            themes=tuple(rng.sample(THEMES, 2)) if kind == "victory" else (), occurred_on=(now - dt.timedelta(days=rng.randint(0, 90))).date(),
            author_id=member_id, on_behalf=False, visibility="private", recorded_at=now,
        )  # fmt: skip
        await _append(conn, store, JOURNAL_MODELS, entry_stream(entry_id), [recorded])
