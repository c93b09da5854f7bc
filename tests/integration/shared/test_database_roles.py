"""Least privilege in PostgreSQL: a service's role appends to and reads its own log, and nothing more."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from uuid import uuid4

import asyncpg
import pytest
import pytest_asyncio

from shared.settings import Settings
from shared.testing.plugin import Servers

pytestmark = pytest.mark.integration

OTHERS = {"journal": "accounts", "accounts": "journal", "stories": "journal", "notifications": "stories"}


@pytest_asyncio.fixture
async def as_journal(settings: Settings, sw_servers: Servers) -> AsyncIterator[asyncpg.Connection]:
    conn = await asyncpg.connect(sw_servers.database_url_for("journal", settings.database_url or ""))
    yield conn
    await conn.close()


async def _append(conn: asyncpg.Connection, schema: str) -> None:
    await conn.execute(
        f"INSERT INTO {schema}.events (event_id, stream_id, stream_version, event_type, schema_version, data, metadata)"
        " VALUES ($1, $2, 1, 'test.ticked.v1', 1, $3, '{}')",
        uuid4(), f"test-{uuid4()}", json.dumps({"n": 1}),
    )  # fmt: skip


async def test_a_service_role_appends_and_reads_its_own_log(as_journal: asyncpg.Connection) -> None:
    assert not await as_journal.fetchval("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    await _append(as_journal, "journal")
    assert await as_journal.fetchval("SELECT count(*) FROM journal.events WHERE event_type = 'test.ticked.v1'") == 1
    await as_journal.execute(
        "INSERT INTO journal.checkpoints (name, transaction_id, global_position) VALUES ('t', '0', 0)"
    )


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE journal.events SET data = '{}'",
        "DELETE FROM journal.events",
        "TRUNCATE journal.events",
        "ALTER TABLE journal.events DISABLE TRIGGER ALL",
        "ALTER TABLE journal.events DISABLE TRIGGER events_append_only",
        "CREATE OR REPLACE FUNCTION journal.reject_event_change() RETURNS trigger LANGUAGE plpgsql"
        " AS $$ BEGIN RETURN NULL; END $$",
        "DROP TABLE journal.events",
        "SET session_replication_role = replica",
        "COPY (SELECT 1) TO PROGRAM 'true'",
        "CREATE TABLE journal.mine (x int)",
        "INSERT INTO journal.schema_migrations (name) VALUES ('forged')",
        "SELECT * FROM accounts.members",
        "SELECT * FROM stories.member_keys",
        "INSERT INTO accounts.events SELECT * FROM journal.events",
    ],
)
async def test_a_service_role_cannot_reach_past_its_own_log(as_journal: asyncpg.Connection, statement: str) -> None:
    with pytest.raises(asyncpg.InsufficientPrivilegeError, match=r"permission denied|must be owner"):
        await as_journal.execute(statement)


async def test_each_service_is_kept_out_of_the_others_and_web_out_of_all(
    settings: Settings, sw_servers: Servers
) -> None:
    for service, other in OTHERS.items():
        conn = await asyncpg.connect(sw_servers.database_url_for(service, settings.database_url or ""))
        try:
            assert await conn.fetchval(f"SELECT count(*) FROM {service}.events") >= 0
            with pytest.raises(asyncpg.InsufficientPrivilegeError):
                await conn.fetch(f"SELECT * FROM {other}.events")
        finally:
            await conn.close()
    web = await asyncpg.connect(sw_servers.database_url_for("web", settings.database_url or ""))
    try:
        for schema in OTHERS:
            with pytest.raises(asyncpg.InsufficientPrivilegeError):
                await web.fetch(f"SELECT * FROM {schema}.events")
    finally:
        await web.close()


async def test_the_append_only_triggers_hold_even_for_the_owner_under_replication_role(settings: Settings) -> None:
    """The triggers fire ALWAYS: a superuser's `session_replication_role = replica` does not switch them off."""
    admin = await asyncpg.connect(settings.database_url)
    try:
        await _append(admin, "journal")
        await admin.execute("SET session_replication_role = replica")
        with pytest.raises(asyncpg.InsufficientPrivilegeError, match="append-only"):
            await admin.execute("DELETE FROM journal.events")
        with pytest.raises(asyncpg.InsufficientPrivilegeError, match="append-only"):
            await admin.execute("TRUNCATE journal.events")
    finally:
        await admin.close()
