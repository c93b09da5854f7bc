"""Connection pools and migrations. Each service owns one schema and its migrations folder."""

from __future__ import annotations

import hashlib
import logging
from importlib import resources
from pathlib import Path

import asyncpg

log = logging.getLogger(__name__)

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


OWNER = "smallwins_owner"
"""Owns every schema; nobody logs in as it. Migrations run under it (docs/adr/0022-least-privilege-in-postgresql.md)."""


def service_role(name: str) -> str:
    """The login role a service (or web, which may read nothing) connects as."""
    return f"smallwins_{name}"


async def ensure_roles(conn: asyncpg.Connection, passwords: dict[str, str]) -> None:
    """The owner role and one login role per process (name -> password), as a superuser or a
    role with CREATEROLE runs it; passwords are set again each time (they may have changed)."""
    await conn.execute(
        f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{OWNER}') THEN"
        f" CREATE ROLE {OWNER} NOLOGIN; END IF; END $$"
    )
    await conn.execute(f"GRANT {OWNER} TO CURRENT_USER")  # so that migrations may SET ROLE to it
    for name, password in passwords.items():
        role = service_role(name)
        exists = await conn.fetchval("SELECT true FROM pg_roles WHERE rolname = $1", role)
        verb = "ALTER" if exists else "CREATE"
        statement = await conn.fetchval(
            f"SELECT format('{verb} ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD %L', $1::text, $2::text)",
            role, password,
        )  # fmt: skip
        await conn.execute(statement)


async def _take_ownership(conn: asyncpg.Connection, schema: str) -> None:
    """A schema made before the owner role existed passes to it, with everything in it."""
    owner = await conn.fetchval("SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = $1", schema)
    if owner is None or owner == OWNER:
        return
    await conn.execute(f"ALTER SCHEMA {schema} OWNER TO {OWNER}")
    for kind, name in await conn.fetch(
        "SELECT CASE WHEN c.relkind = 'S' THEN 'SEQUENCE' ELSE 'TABLE' END, c.relname FROM pg_class c"
        " WHERE c.relnamespace = $1::regnamespace AND c.relkind IN ('r', 'p', 'S')"
        " AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i'))",
        schema,
    ):
        await conn.execute(f'ALTER {kind} {schema}."{name}" OWNER TO {OWNER}')
    for signature in await conn.fetch(
        "SELECT p.oid::regprocedure::text FROM pg_proc p WHERE p.pronamespace = $1::regnamespace", schema
    ):
        await conn.execute(f"ALTER FUNCTION {signature[0]} OWNER TO {OWNER}")


async def _grant(conn: asyncpg.Connection, schema: str) -> None:
    """The service's role may append to and read its own log, and write its own read models;
    nothing else (no UPDATE, DELETE or TRUNCATE of events, no DDL, no trigger control)."""
    role = service_role(schema)
    if not await conn.fetchval("SELECT true FROM pg_roles WHERE rolname = $1", role):
        return
    await conn.execute(f"GRANT USAGE ON SCHEMA {schema} TO {role}")
    await conn.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {role}")
    await conn.execute(f"REVOKE UPDATE, DELETE, TRUNCATE ON {schema}.events, {schema}.schema_migrations FROM {role}")
    await conn.execute(f"REVOKE INSERT ON {schema}.schema_migrations FROM {role}")
    await conn.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {role}")
    await conn.execute(f"GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA {schema} TO {role}")
    for trigger in ("events_append_only", "events_no_truncate"):  # also under session_replication_role
        await conn.execute(f"ALTER TABLE {schema}.events ENABLE ALWAYS TRIGGER {trigger}")


async def pending(conn: asyncpg.Connection, schema: str, migrations: Path) -> list[str]:
    """The migrations not applied yet (a service checks this at start; it cannot migrate)."""
    if not await conn.fetchval("SELECT to_regclass($1) IS NOT NULL", f"{schema}.schema_migrations"):
        return ["all of them"]
    done = {r["name"] for r in await conn.fetch(f"SELECT name FROM {schema}.schema_migrations")}
    return [name for name, _ in (*_KERNEL_STEPS, *_migration_files(migrations)) if name not in done]


async def migrate(conn: asyncpg.Connection, schema: str, migrations: Path) -> list[str]:
    """Create the schema, its kernel tables and apply the service's migrations once each.

    Runs under an advisory lock so that several processes starting at once do not race. Where
    the owner role exists (``ensure_roles``), everything is made by and belongs to it, and the
    service's own role gets exactly its grants. Returns the names of the migrations applied now.
    """
    applied_now: list[str] = []
    owned = bool(await conn.fetchval("SELECT true FROM pg_roles WHERE rolname = $1", OWNER))
    async with conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock($1)", advisory_key(f"migrate:{schema}"))
        if owned:
            await _take_ownership(conn, schema)
            database = await conn.fetchval("SELECT current_database()")
            await conn.execute(f'GRANT CREATE ON DATABASE "{database}" TO {OWNER}')  # a clone lacks the grant
            await conn.execute(f"SET LOCAL ROLE {OWNER}")
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
        if owned:
            await _grant(conn, schema)
    return applied_now
