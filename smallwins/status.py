"""``smallwins status``: servers, services, relays, consumers, lag and parked messages."""

from __future__ import annotations

import asyncpg
import nats.errors
import nats.js.errors

from shared.bus.connection import connect
from shared.bus.rpc import ServiceClient
from shared.contracts.common import Empty, HealthView
from shared.contracts.erasure import APPLIED
from shared.errors import Unavailable
from shared.relay import CHECKPOINT
from shared.service import ServiceDefinition, consumer_spec
from shared.settings import Settings


def _line(label: str, state: str, detail: str = "") -> None:
    print(f"  {label:<34} {state:<9} {detail}")  # noqa: T201


async def print_status(settings: Settings, definitions: dict[str, ServiceDefinition]) -> int:
    database_url, nats_url = settings.servers()
    healthy = True
    print("Servers")  # noqa: T201
    try:
        conn = await asyncpg.connect(database_url, timeout=5)
    except (OSError, asyncpg.PostgresError) as exc:
        _line("PostgreSQL", "DOWN", str(exc))
        return 1
    _line("PostgreSQL", "up", database_url)
    try:
        nc = await connect(nats_url, name="smallwins-status")
    except (OSError, nats.errors.Error) as exc:
        _line("NATS", "DOWN", str(exc))
        await conn.close()
        return 1
    _line("NATS", "up", nats_url)
    try:
        client = ServiceClient(nc, settings.nats_prefix, timeout=2.0)
        js = nc.jetstream()
        print("Services")  # noqa: T201
        for name in definitions:
            try:
                view = await client.call(name, "health", Empty(), HealthView)
                _line(name, "ok" if view.ok else "degraded", f"postgres={view.postgres} relay={view.relay}")
                healthy &= view.ok
            except Unavailable as exc:
                _line(name, "DOWN", exc.message)
                healthy = False
        print("Relays (events not yet on NATS)")  # noqa: T201
        for name in definitions:
            lag = await _relay_lag(conn, name)
            _line(f"{name} relay", "caught up" if lag == 0 else "behind", f"lag={lag}")
        print("Consumers")  # noqa: T201
        for name, definition in definitions.items():
            for sub in definition.subscriptions:
                spec = consumer_spec(settings.nats_prefix, name, sub)
                try:
                    info = await js.consumer_info(spec.stream, spec.durable)
                    detail = (
                        f"pending={info.num_pending} unacked={info.num_ack_pending} redelivered={info.num_redelivered}"
                    )
                    _line(spec.durable, "ok", detail)
                except (nats.js.errors.NotFoundError, nats.errors.TimeoutError):
                    _line(spec.durable, "missing", "not provisioned yet")
        if "accounts" in definitions:
            await _print_erasures(conn)
        print("Parked messages")  # noqa: T201
        for name in definitions:
            parked = await conn.fetchval(f"SELECT count(*) FROM {name}.parked_messages")
            _line(name, "none" if parked == 0 else "PARKED", f"count={parked}")
            healthy &= parked == 0
    finally:
        await nc.close()
        await conn.close()
    return 0 if healthy else 1


async def pending_erasures(conn: asyncpg.Connection) -> list[tuple[str, str, str]]:
    """Erasures not done yet, as (member id, state, detail): waiting for their due time, or
    erased in accounts and waiting for the services that have not applied them (ADR 34)."""
    rows = await conn.fetch(
        "SELECT e.member_id, e.due_at, e.erased_at,"
        " coalesce(array_agg(a.service) FILTER (WHERE a.service IS NOT NULL), '{}') AS applied"
        " FROM accounts.erasures e LEFT JOIN accounts.erasure_applied a USING (member_id)"
        " WHERE e.cancelled_at IS NULL GROUP BY e.member_id, e.due_at, e.erased_at ORDER BY e.due_at"
    )
    pending = []
    for row in rows:
        missing = [service for service in APPLIED if service not in row["applied"]]
        if row["erased_at"] is None:
            pending.append((str(row["member_id"]), "waiting", f"due {row['due_at']:%Y-%m-%d %H:%M} UTC"))
        elif missing:
            detail = f"erased {row['erased_at']:%Y-%m-%d %H:%M} UTC; not yet applied by {', '.join(missing)}"
            pending.append((str(row["member_id"]), "applying", detail))
    return pending


async def _print_erasures(conn: asyncpg.Connection) -> None:
    print("Erasures (done once every service has applied them)")  # noqa: T201
    pending = await pending_erasures(conn)
    for member_id, state, detail in pending:
        _line(member_id, state, detail)
    if not pending:
        _line("erasures", "none", "none pending")


async def _relay_lag(conn: asyncpg.Connection, schema: str) -> int:
    lag: int = await conn.fetchval(
        f"SELECT count(*) FROM {schema}.events e WHERE (e.transaction_id, e.global_position) >"
        f" coalesce((SELECT (c.transaction_id, c.global_position) FROM {schema}.checkpoints c"
        " WHERE c.name = $1), ('0'::xid8, 0::bigint))",
        CHECKPOINT,
    )
    return lag
