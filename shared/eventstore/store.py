"""The append-only event store of one service schema.

* ``append`` takes an expected version and several events, and runs inside the caller's
  transaction so that inline projections commit (or roll back) together with the events.
* ``read_stream`` loads one stream in version order.
* ``read_committed`` tails the whole log in commit order without ever skipping an event:
  it only returns rows whose transaction id is below the oldest transaction still running
  (``pg_snapshot_xmin``), ordered by ``(transaction_id, global_position)``.
* ``unit_of_work`` is the transaction of one command or consumed batch; once it has committed,
  every store it appended to tells its commit listeners (the relay) that the log has grown.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import enum
from collections.abc import AsyncIterator, Callable, Sequence
from typing import Final
from uuid import UUID

import asyncpg
import msgspec

from shared.errors import ConcurrencyConflict, Conflict
from shared.messages import (
    Event,
    EventRegistry,
    Metadata,
    NewEvent,
    RecordedEvent,
    schema_version_of,
    tag_of,
)


class _Expect(enum.Enum):
    ANY = "any"
    NO_STREAM = "no_stream"


ANY: Final = _Expect.ANY
NO_STREAM: Final = _Expect.NO_STREAM
ExpectedVersion = int | _Expect


class AlreadyAppended(Conflict):
    """An event with this id is already in the log: the request was a retry."""

    code = "conflict"


class Position(msgspec.Struct, frozen=True, kw_only=True, order=True):
    """A point in commit order: (transaction id, global position)."""

    transaction_id: int = 0
    global_position: int = 0


_COLUMNS = (
    "e.global_position, e.transaction_id::text::bigint AS transaction_id, e.event_id, e.stream_id,"
    " e.stream_version, e.event_type, e.schema_version, e.data::text AS data,"
    " e.metadata::text AS metadata, e.recorded_at"
)
_metadata_decoder = msgspec.json.Decoder(Metadata)


def _recorded(row: asyncpg.Record) -> RecordedEvent:
    return RecordedEvent(
        global_position=row[0],
        transaction_id=row[1],
        event_id=row[2],
        stream_id=row[3],
        stream_version=row[4],
        event_type=row[5],
        schema_version=row[6],
        data=msgspec.Raw(row[7].encode()),
        metadata=_metadata_decoder.decode(row[8]),
        recorded_at=row[9],
    )


# The stores appended to in the current unit of work (None outside one).
_appended_to: contextvars.ContextVar[list[EventStore] | None] = contextvars.ContextVar("appended_to", default=None)


@contextlib.asynccontextmanager
async def unit_of_work(pool: asyncpg.Pool) -> AsyncIterator[asyncpg.Connection]:
    """One transaction on a pooled connection. After it commits, each store it appended to calls
    its commit listeners (a rollback calls none): the relay wakes without a NOTIFY in the commit."""
    touched: list[EventStore] = []
    token = _appended_to.set(touched)
    try:
        async with pool.acquire() as conn, conn.transaction():
            yield conn
    finally:
        _appended_to.reset(token)
    for store in touched:
        store.committed()


class EventStore:
    def __init__(self, schema: str, registry: EventRegistry) -> None:
        self.schema = schema
        self.registry = registry
        self._commit_listeners: list[Callable[[], None]] = []
        s = schema
        self._sql_append = f"SELECT {s}.append_events($1, $2, $3, $4, $5, $6, $7)"
        self._sql_stream = f"SELECT {_COLUMNS} FROM {s}.events e WHERE e.stream_id = $1 ORDER BY e.stream_version"
        # ORDER BY names the table's columns (e.*), not the output aliases of _COLUMNS, so that
        # the (transaction_id, global_position) index serves it instead of a sort.
        self._sql_committed = (
            f"SELECT {_COLUMNS} FROM {s}.events e "
            "WHERE (e.transaction_id, e.global_position) > ($1::text::xid8, $2) "
            "AND e.transaction_id < pg_snapshot_xmin(pg_current_snapshot()) "
            "ORDER BY e.transaction_id, e.global_position LIMIT $3"
        )
        self._sql_held_back = (
            f"SELECT EXISTS (SELECT 1 FROM {s}.events e "
            "WHERE (e.transaction_id, e.global_position) > ($1::text::xid8, $2))"
        )
        self._sql_all = (
            f"SELECT {_COLUMNS} FROM {s}.events e "
            "WHERE (e.transaction_id, e.global_position) > ($1::text::xid8, $2) "
            "ORDER BY e.transaction_id, e.global_position LIMIT $3"
        )

    async def append(
        self,
        conn: asyncpg.Connection,
        stream_id: str,
        events: Sequence[NewEvent],
        *,
        expected: ExpectedVersion,
        metadata: Metadata | None = None,
    ) -> int:
        """Append ``events`` to ``stream_id``; return the stream's new version.

        Must run inside a transaction. Raises ``ConcurrencyConflict`` when the stream is not at
        the expected version; the caller's transaction then rolls back, leaving nothing.
        """
        if not events:
            raise ValueError("append needs at least one event")
        if not conn.is_in_transaction():
            raise RuntimeError("append must run inside a transaction")
        code = -1 if expected is ANY else 0 if expected is NO_STREAM else int(expected)
        tags = [tag_of(type(e.event)) for e in events]
        try:
            new_version = await conn.fetchval(
                self._sql_append,
                stream_id,
                code,
                [e.event_id for e in events],
                tags,
                [schema_version_of(t) for t in tags],
                [self.registry.encode(e.event).decode() for e in events],
                msgspec.json.encode(metadata or Metadata()).decode(),
            )
        except asyncpg.UniqueViolationError as exc:
            if "event_id" in (exc.constraint_name or ""):
                raise AlreadyAppended("This was already recorded.") from exc
            raise ConcurrencyConflict(stream_id, expected) from exc
        if new_version is None:
            raise ConcurrencyConflict(stream_id, expected)
        touched = _appended_to.get()
        if touched is not None and self not in touched:
            touched.append(self)
        return int(new_version)

    def on_commit(self, listener: Callable[[], None]) -> None:
        """Call ``listener`` whenever a unit of work that appended to this store has committed."""
        self._commit_listeners.append(listener)

    def committed(self) -> None:
        for listener in self._commit_listeners:
            listener()

    async def read_stream(self, conn: asyncpg.Connection, stream_id: str) -> tuple[int, list[Event]]:
        """The stream's version and its events, upcast and decoded, in order."""
        rows = await conn.fetch(self._sql_stream, stream_id)
        events = [self.registry.decode(r["event_type"], r["data"]) for r in rows]
        return (rows[-1]["stream_version"] if rows else 0), events

    async def read_committed(
        self, conn: asyncpg.Connection, after: Position, limit: int = 500, *, horizon: bool = True
    ) -> list[RecordedEvent]:
        """Events after ``after`` in commit order.

        With ``horizon`` (the default) only events below the oldest running transaction are
        returned, so a later call can never find an event that sorts before one already seen.
        ``horizon=False`` is only safe while appends are locked out (see ``rebuild``).
        """
        sql = self._sql_committed if horizon else self._sql_all
        rows = await conn.fetch(sql, str(after.transaction_id), after.global_position, limit)
        return [_recorded(r) for r in rows]

    async def held_back(self, conn: asyncpg.Connection, after: Position) -> bool:
        """True when events past ``after`` have committed but an older transaction still runs,
        so ``read_committed`` cannot hand them out yet."""
        return bool(await conn.fetchval(self._sql_held_back, str(after.transaction_id), after.global_position))

    async def stream_version(self, conn: asyncpg.Connection, stream_id: str) -> int:
        version = await conn.fetchval(f"SELECT version FROM {self.schema}.streams WHERE stream_id = $1", stream_id)
        return int(version or 0)


def position_of(event: RecordedEvent) -> Position:
    return Position(transaction_id=event.transaction_id, global_position=event.global_position)


async def load_checkpoint(conn: asyncpg.Connection, schema: str, name: str) -> Position:
    row = await conn.fetchrow(
        f"SELECT transaction_id::text::bigint, global_position FROM {schema}.checkpoints WHERE name = $1",
        name,
    )
    return Position(transaction_id=row[0], global_position=row[1]) if row else Position()


async def save_checkpoint(conn: asyncpg.Connection, schema: str, name: str, position: Position) -> None:
    await conn.execute(
        f"INSERT INTO {schema}.checkpoints (name, transaction_id, global_position, updated_at)"
        " VALUES ($1, $2::text::xid8, $3, now()) ON CONFLICT (name) DO UPDATE"
        " SET transaction_id = EXCLUDED.transaction_id,"
        " global_position = EXCLUDED.global_position, updated_at = now()",
        name,
        str(position.transaction_id),
        position.global_position,
    )


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


__all__ = [
    "ANY",
    "NO_STREAM",
    "UUID",
    "AlreadyAppended",
    "EventStore",
    "ExpectedVersion",
    "Position",
    "load_checkpoint",
    "position_of",
    "save_checkpoint",
    "unit_of_work",
    "utcnow",
]
