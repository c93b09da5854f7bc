"""Secrets stay home (ADR 18): after a sign-up, a sign-in and a journal started for someone by
their real name, no event in PostgreSQL (every schema's log) and no message in JetStream (every
stream of the test's prefix) holds a password, a password hash, a session token or its hash, an
e-mail address or that name in clear. Private events are kept in the log and never published."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator

import asyncpg
import nats
import pytest
import pytest_asyncio
from litestar.testing import AsyncTestClient

from shared.settings import Settings
from shared.testing.plugin import eventually
from smallwins.registry import SERVICES
from web.app import create_app

pytestmark = pytest.mark.e2e

PSEUDONYM = "Quiet Fern"
EMAIL = "Fern.Whitlow@example.org"
PASSWORD = "correct horse battery staple 42"
REAL_NAME = "Margit Oyelaran-Lindqvist"


@pytest_asyncio.fixture
async def client(settings: Settings, system: object) -> AsyncIterator[AsyncTestClient]:  # type: ignore[type-arg]
    async with AsyncTestClient(app=create_app(settings)) as c:
        yield c


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


async def _events_in_postgres(conn: asyncpg.Connection) -> dict[str, list[tuple[str, bytes]]]:
    """Every event of every schema that has an event log: schema -> [(type, data + metadata)]."""
    schemas = [
        r[0]
        for r in await conn.fetch(
            "SELECT table_schema FROM information_schema.tables WHERE table_name = 'events' ORDER BY 1"
        )
    ]
    return {
        schema: [
            (r[0], f"{r[1]}\n{r[2]}".encode())
            for r in await conn.fetch(f"SELECT event_type, data::text, metadata::text FROM {schema}.events")
        ]
        for schema in schemas
    }


async def _messages_in_jetstream(nats_url: str, prefix: str) -> dict[str, list[tuple[str, bytes]]]:
    """Every message of every stream of the prefix: stream -> [(subject, headers + data)]."""
    nc = await nats.connect(nats_url)
    try:
        js = nc.jetstream()
        found: dict[str, list[tuple[str, bytes]]] = {}
        for info in await js.streams_info():
            name = info.config.name or ""
            if not name.startswith(prefix.upper() + "_"):
                continue
            found[name] = []
            for seq in range(info.state.first_seq, info.state.last_seq + 1) if info.state.messages else ():
                msg = await js.get_msg(name, seq)
                headers = "".join(f"{k}: {v}\n" for k, v in (msg.headers or {}).items()).encode()
                found[name].append((msg.subject or "", headers + (msg.data or b"")))
        return found
    finally:
        await nc.close()


async def test_no_secret_or_personal_detail_in_any_event_or_message(
    client: AsyncTestClient,  # type: ignore[type-arg]
    settings: Settings,
) -> None:
    signed_up = await client.post("/api/members", json={"pseudonym": PSEUDONYM, "email": EMAIL, "password": PASSWORD})
    assert signed_up.status_code == 201
    signed_in = await client.post("/api/sessions", json={"email": EMAIL, "password": PASSWORD})
    assert signed_in.status_code == 201
    token = signed_in.json()["token"]
    auth = {"Authorization": f"Bearer {token}"}
    started = await client.post("/api/journal/start-for", json={"for_name": REAL_NAME}, headers=auth)
    assert started.status_code == 201
    claim_code = started.json()["claim_code"]
    supporting = (await client.get("/api/journal/supporting", headers=auth)).json()
    assert [j["owner_name"] for j in supporting["journals"]] == [REAL_NAME]  # sealed, yet it opens for the keeper

    conn = await asyncpg.connect(settings.database_url)
    try:
        password_hash = await conn.fetchval("SELECT password_hash FROM accounts.credentials")
        assert password_hash.startswith("$argon2")
        registries = {name: d.registry for name, d in SERVICES.items()}

        async def all_published() -> dict[str, list[tuple[str, bytes]]] | None:
            """Once every event that is not private is in its stream (and nothing else is)."""
            events = await _events_in_postgres(conn)
            streams = await _messages_in_jetstream(settings.servers()[1], settings.nats_prefix)
            for schema, rows in events.items():
                public = sorted(t for t, _ in rows if not registries[schema].is_private(t))
                published = streams.get(f"{settings.nats_prefix}_{schema}_events".upper(), [])
                if sorted(s.rsplit(".events.", 1)[1] for s, _ in published) != public:
                    return None
            return streams

        streams = await eventually(all_published)
        events = await _events_in_postgres(conn)
    finally:
        await conn.close()

    event_types = {t for rows in events.values() for t, _ in rows}
    assert {"accounts.member_registered.v1", "accounts.session_started.v2"} <= event_types
    assert {"journal.journal_started.v1", "journal.claim_code_issued.v1"} <= event_types
    subjects = {s for msgs in streams.values() for s, _ in msgs}
    assert not any("session_started" in s or "claim_code_issued" in s for s in subjects)  # private: kept home

    never = {
        "password": PASSWORD, "password hash": password_hash, "argon2 prefix": "$argon2",
        "session token": token, "session token hash": _sha256(token),
        "e-mail": EMAIL, "e-mail as typed lower": EMAIL.lower(), "real name": REAL_NAME,
        "real name, first word": REAL_NAME.split()[0], "claim code": claim_code,
    }  # fmt: skip
    for where, found in [*events.items(), *streams.items()]:
        for kind, raw in found:
            for what, secret in never.items():
                assert secret.encode() not in raw, f"{what} in clear in {where} ({kind})"
    for stream, messages in streams.items():  # a claim code's hash is kept in the journal's log only
        for subject, raw in messages:
            assert _sha256(claim_code).encode() not in raw, f"claim code hash in {stream} ({subject})"
