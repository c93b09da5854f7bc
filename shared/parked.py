"""Parked messages: what a consumer could not apply, listed and put back by an operator.

A message is parked when it cannot be decoded or its handler kept failing for a reason that is
not transient. Replaying one applies it through the consumer's own code path (once: a message
whose event was applied meanwhile changes nothing) and removes it from the parking table; one that
fails again stays parked with its new error.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from uuid import UUID

import asyncpg
import msgspec

from shared.consumers import ConsumerRunner
from shared.messages import RecordedEvent


class ParkedMessage(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    consumer: str
    subject: str
    event_id: UUID | None
    error: str
    deliveries: int
    parked_at: dt.datetime


class Replayed(msgspec.Struct, kw_only=True):
    applied: list[int] = msgspec.field(default_factory=list)
    already_applied: list[int] = msgspec.field(default_factory=list)
    failed: dict[int, str] = msgspec.field(default_factory=dict)


async def list_parked(conn: asyncpg.Connection | asyncpg.Pool, schema: str) -> list[ParkedMessage]:
    rows = await conn.fetch(
        f"SELECT id, consumer, subject, event_id, error, deliveries, parked_at FROM {schema}.parked_messages ORDER BY id"
    )
    return [ParkedMessage(**dict(r)) for r in rows]


async def replay(
    pool: asyncpg.Pool, schema: str, runners: Mapping[str, ConsumerRunner], ids: Sequence[int] | None
) -> Replayed:
    """Apply the parked messages ``ids`` (all of them when None) again; report what happened."""
    rows = await pool.fetch(
        f"SELECT id, consumer, data FROM {schema}.parked_messages WHERE $1::bigint[] IS NULL OR id = ANY($1) ORDER BY id",
        None if ids is None else list(ids),
    )
    out = Replayed()
    for missing in sorted(set(ids or ()) - {r["id"] for r in rows}):
        out.failed[missing] = "no parked message has this id"
    for row in rows:
        error = await _replay_one(runners, row["consumer"], bytes(row["data"]), row["id"], out)
        if error is None:
            await pool.execute(f"DELETE FROM {schema}.parked_messages WHERE id = $1", row["id"])
        else:
            out.failed[row["id"]] = error
            await pool.execute(
                f"UPDATE {schema}.parked_messages SET error = $2, deliveries = deliveries + 1 WHERE id = $1",
                row["id"],
                error,
            )
    return out


async def _replay_one(
    runners: Mapping[str, ConsumerRunner], consumer: str, data: bytes, row_id: int, out: Replayed
) -> str | None:
    runner = runners.get(consumer)
    if runner is None:
        return f"no consumer named {consumer} runs in this version; it cannot be replayed"
    try:
        event = msgspec.json.decode(data, type=RecordedEvent)
    except (msgspec.ValidationError, msgspec.DecodeError) as exc:
        return f"undecodable message: {exc}"
    try:
        applied = await runner.apply(event)
    except Exception as exc:  # noqa: BLE001 - an operator's command: report the failure, keep it parked
        return repr(exc)
    (out.applied if applied else out.already_applied).append(row_id)
    return None
