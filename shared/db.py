"""Connection pools and migrations. Each service owns one schema and its migrations folder."""

from __future__ import annotations

import hashlib
import logging
from importlib import resources
from pathlib import Path

import asyncpg

log = logging.getLogger(__name__)

Pool = asyncpg.Pool
Connection = asyncpg.Connection

_KERNEL = resources.files("shared.eventstore")
# The kernel's own migrations, applied before a service's, in this order, once each.
_KERNEL_STEPS = (
    ("0000_kernel.sql", "kernel.sql"),
    ("0000_kernel_0001_no_notify.sql", "kernel_0001_no_notify.sql"),
    ("0000_kernel_0002_idempotency.sql", "kernel_0002_idempotency.sql"),
)


async def _keep_session(_conn: asyncpg.Connection) -> None:
    """Nothing to reset: our pooled connections keep no session state (advisory locks are
    transaction-scoped, nothing LISTENs or SETs on them). asyncpg still rolls back an open
    transaction on release; this saves its reset query, a round trip per unit of work."""


def search_path(schema: str) -> dict[str, str]:
    """Connection settings under which a service's projections find their tables.

    Projections name their own tables without a schema, so that a rebuild can point the same
    code at shadow copies (``SET search_path = <schema>_rebuild, <schema>``)."""
    return {"search_path": f"{schema}, public"}


# Our reads are short statements that stop at a LIMIT. PostgreSQL plans a Memoize (a cache in
# front of the inner side of a join, e.g. posts to their authors' keys) for the thousands of rows a
# generic plan expects; on a statement that stops after twenty it cost more than it saved: the
# moderation queue's view cost PostgreSQL about 500 µs with it and 420 µs without (BENCHMARKS.md).
PLANNER = {"enable_memoize": "off"}


async def create_pool(dsn: str, *, schema: str | None = None, min_size: int = 1, max_size: int = 10) -> asyncpg.Pool:
    """A pool; with ``schema``, its connections resolve unqualified table names there."""
    pool: asyncpg.Pool = await asyncpg.create_pool(
        dsn,
        min_size=min_size,
        max_size=max_size,
        reset=_keep_session,
        server_settings={**PLANNER, **(search_path(schema) if schema else {})},
    )
    return pool


def advisory_key(name: str) -> int:
    """A stable signed 64-bit key for ``pg_advisory_lock`` from a name."""
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "big", signed=True)


def _migration_files(migrations: Path) -> list[tuple[str, str]]:
    return [(path.name, path.read_text()) for path in sorted(migrations.glob("*.sql"))]


async def migrate(conn: asyncpg.Connection, schema: str, migrations: Path) -> list[str]:
    """Create the schema, its kernel tables and apply the service's migrations once each.

    Runs under an advisory lock so that several processes starting at once do not race.
    Returns the names of the migrations applied now.
    """
    applied_now: list[str] = []
    async with conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock($1)", advisory_key(f"migrate:{schema}"))
        await conn.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
        await conn.execute(
            f"CREATE TABLE IF NOT EXISTS {schema}.schema_migrations ("
            " name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
        )
        done = {r["name"] for r in await conn.fetch(f"SELECT name FROM {schema}.schema_migrations")}
        kernel = [(name, _KERNEL.joinpath(file).read_text()) for name, file in _KERNEL_STEPS]
        steps = [*kernel, *_migration_files(migrations)]
        for name, sql in steps:
            if name in done:
                continue
            await conn.execute(sql.replace("{schema}", schema))
            await conn.execute(f"INSERT INTO {schema}.schema_migrations (name) VALUES ($1)", name)
            applied_now.append(name)
            log.info("migration applied", extra={"schema": schema, "migration": name})
    return applied_now
