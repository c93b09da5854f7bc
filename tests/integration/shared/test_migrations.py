"""Migrations carry a checksum: one that changed after it was applied stops the start, and says
which file and what to do; a database from before checksums gets them on its first run."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest
import pytest_asyncio

from shared.db import MigrationChanged, migrate, pending

pytestmark = pytest.mark.integration

SCHEMA = "checked"
FIRST = "CREATE TABLE {schema}.things (thing_id int PRIMARY KEY);\n"


@pytest_asyncio.fixture
async def conn(database_url: str) -> AsyncIterator[asyncpg.Connection]:
    conn = await asyncpg.connect(database_url)
    yield conn
    await conn.close()


@pytest.fixture
def migrations(tmp_path: Path) -> Path:
    folder = tmp_path / "migrations"
    folder.mkdir()
    (folder / "0001_things.sql").write_text(FIRST)
    return folder


async def _recorded(conn: asyncpg.Connection) -> dict[str, str | None]:
    return {r[0]: r[1] for r in await conn.fetch(f"SELECT name, checksum FROM {SCHEMA}.schema_migrations")}


async def test_each_applied_migration_is_recorded_with_the_sha256_of_its_file(
    conn: asyncpg.Connection, migrations: Path
) -> None:
    assert "0001_things.sql" in await migrate(conn, SCHEMA, migrations)
    recorded = await _recorded(conn)
    assert recorded["0001_things.sql"] == hashlib.sha256(FIRST.encode()).hexdigest()
    assert all(recorded.values()), "the kernel's own migrations carry theirs too"
    assert await pending(conn, SCHEMA, migrations) == []


async def test_an_applied_migration_that_changed_stops_the_start_and_says_what_to_do(
    conn: asyncpg.Connection, migrations: Path
) -> None:
    await migrate(conn, SCHEMA, migrations)
    (migrations / "0001_things.sql").write_text(FIRST.replace("int", "bigint"))
    (migrations / "0002_more.sql").write_text("CREATE TABLE {schema}.more (x int);\n")
    with pytest.raises(MigrationChanged, match=r"0001_things\.sql.*changed.*restore the file.*new migration"):
        await migrate(conn, SCHEMA, migrations)
    with pytest.raises(MigrationChanged, match=r"0001_things\.sql"):
        await pending(conn, SCHEMA, migrations)  # what a service checks at its start
    assert "0002_more.sql" not in await _recorded(conn), "nothing was applied past the refusal"
    assert await conn.fetchval("SELECT to_regclass($1)", f"{SCHEMA}.more") is None


async def test_a_database_from_before_checksums_gets_them_on_its_first_run(
    conn: asyncpg.Connection, migrations: Path
) -> None:
    await migrate(conn, SCHEMA, migrations)
    await conn.execute(f"ALTER TABLE {SCHEMA}.schema_migrations DROP COLUMN checksum")
    assert await pending(conn, SCHEMA, migrations) == ["the checksums of those applied"]
    assert await migrate(conn, SCHEMA, migrations) == []
    assert (await _recorded(conn))["0001_things.sql"] == hashlib.sha256(FIRST.encode()).hexdigest()
    assert await pending(conn, SCHEMA, migrations) == []
    (migrations / "0001_things.sql").write_text(FIRST + "-- edited\n")
    with pytest.raises(MigrationChanged):
        await migrate(conn, SCHEMA, migrations)
