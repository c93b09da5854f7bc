"""Connection pools and migrations. Each service owns one schema and its migrations folder."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
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
    ("0000_kernel_0003_erased.sql", "kernel_0003_erased.sql"),
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


class MigrationChanged(RuntimeError):
    """A migration that was applied has been edited since: the database and the code disagree."""


@dataclass(frozen=True)
class _Step:
    name: str  # as recorded in schema_migrations
    source: str  # where the file is, for messages
    sql: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode()).hexdigest()


def _steps(migrations: Path) -> list[_Step]:
    """The kernel's migrations, then the service's, in the order they are applied."""
    kernel = [
        _Step(name, f"shared/eventstore/{file}", _KERNEL.joinpath(file).read_text()) for name, file in _KERNEL_STEPS
    ]
    own = [_Step(path.name, str(path), path.read_text()) for path in sorted(migrations.glob("*.sql"))]
    return [*kernel, *own]


def _refuse_changed(schema: str, steps: list[_Step], done: dict[str, str | None]) -> None:
    for step in steps:
        recorded = done.get(step.name)
        if recorded is not None and recorded != step.checksum:
            raise MigrationChanged(
                f"The migration {step.source} was applied to the {schema} schema and has been changed since"
                f" (sha256 then {recorded[:12]}..., now {step.checksum[:12]}...). An applied migration must"
                " stay as it was: restore the file (its history shows the applied version), and put the"
                " change in a new migration after the last one."
            )


async def _applied(conn: asyncpg.Connection, schema: str) -> dict[str, str | None]:
    """The migrations applied to ``schema``, each with the checksum recorded for it (None: not yet)."""
    has_checksums = await conn.fetchval(
        "SELECT true FROM information_schema.columns"
        " WHERE table_schema = $1 AND table_name = 'schema_migrations' AND column_name = 'checksum'",
        schema,
    )
    column = "checksum" if has_checksums else "NULL"
    return {r[0]: r[1] for r in await conn.fetch(f"SELECT name, {column} FROM {schema}.schema_migrations")}


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
    """The migrations not applied yet (a service checks this at start; it cannot migrate).

    Raises ``MigrationChanged`` when an applied migration's file differs from what was applied."""
    if not await conn.fetchval("SELECT to_regclass($1) IS NOT NULL", f"{schema}.schema_migrations"):
        return ["all of them"]
    done = await _applied(conn, schema)
    steps = _steps(migrations)
    _refuse_changed(schema, steps, done)
    missing = [step.name for step in steps if step.name not in done]
    if None in done.values():
        missing.append("the checksums of those applied")
    return missing


async def migrate(conn: asyncpg.Connection, schema: str, migrations: Path) -> list[str]:
    """Create the schema, its kernel tables and apply the service's migrations once each.

    Runs under an advisory lock so that several processes starting at once do not race. Where
    the owner role exists (``ensure_roles``), everything is made by and belongs to it, and the
    service's own role gets exactly its grants. Each migration's sha256 is recorded when it is
    applied; one whose file has changed since stops everything (``MigrationChanged``), and the
    records of a database from before checksums get theirs on the first run. Returns the names
    of the migrations applied now.
    """
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
        await conn.execute(f"ALTER TABLE {schema}.schema_migrations ADD COLUMN IF NOT EXISTS checksum text")
        applied_now = await _apply(conn, schema, _steps(migrations))
        if owned:
            await _grant(conn, schema)
    return applied_now


async def _apply(conn: asyncpg.Connection, schema: str, steps: list[_Step]) -> list[str]:
    """Check every applied step against its file first, then apply the others in order."""
    done = await _applied(conn, schema)
    _refuse_changed(schema, steps, done)
    applied_now: list[str] = []
    for step in steps:
        if step.name in done:
            if done[step.name] is None:  # applied before checksums were kept
                await conn.execute(
                    f"UPDATE {schema}.schema_migrations SET checksum = $2 WHERE name = $1", step.name, step.checksum
                )
            continue
        await conn.execute(step.sql.replace("{schema}", schema))
        await conn.execute(
            f"INSERT INTO {schema}.schema_migrations (name, checksum) VALUES ($1, $2)", step.name, step.checksum
        )
        applied_now.append(step.name)
        log.info("migration applied", extra={"schema": schema, "migration": step.name})
    return applied_now
