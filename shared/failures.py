"""Telling a blip from a real failure.

Driver errors fall into three kinds. A *conflict* is an answer (someone else wrote first). A
*transient* failure says nothing about the work itself: the connection was lost, PostgreSQL is
restarting or shutting down, a transaction lost a serialization or deadlock race, NATS is
reconnecting. Retrying later succeeds, so it is retried for as long as it lasts and never parks a
message. Anything else is *permanent* until someone changes code or data.
"""

from __future__ import annotations

import asyncio
import enum
import errno

import asyncpg
import nats.errors

from shared.errors import Conflict, Unavailable


class Failure(enum.Enum):
    CONFLICT = "conflict"
    TRANSIENT = "transient"
    PERMANENT = "permanent"


# SQLSTATE classes and codes that mean "try again": connection exceptions (08), transaction
# rollbacks (40: serialization failure, deadlock), insufficient resources (53: too many
# connections, out of memory), and operator intervention (57P01-57P03: shutdown, crash,
# cannot connect now; 57014: a cancelled statement), lock not available (55P03).
_TRANSIENT_CLASSES = ("08", "40", "53")
_TRANSIENT_CODES = frozenset({"57P01", "57P02", "57P03", "57P04", "57014", "55P03"})

_NETWORK_ERRNOS = frozenset({
    errno.ECONNREFUSED, errno.ECONNRESET, errno.ECONNABORTED, errno.EPIPE, errno.ETIMEDOUT,
    errno.EHOSTUNREACH, errno.ENETUNREACH, errno.ENETDOWN,
})  # fmt: skip

_TRANSIENT_NATS = (
    nats.errors.ConnectionClosedError,
    nats.errors.ConnectionDrainingError,
    nats.errors.ConnectionReconnectingError,
    nats.errors.NoRespondersError,
    nats.errors.NoServersError,
    nats.errors.OutboundBufferLimitError,
    nats.errors.StaleConnectionError,
    nats.errors.TimeoutError,
)


def classify(exc: BaseException) -> Failure:
    """Which kind of failure ``exc`` is, looking through its causes."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        kind = _kind(current)
        if kind is not None:
            return kind
        current = current.__cause__ or current.__context__
    return Failure.PERMANENT


def is_transient(exc: BaseException) -> bool:
    return classify(exc) is Failure.TRANSIENT


def _kind(exc: BaseException) -> Failure | None:
    if isinstance(exc, Conflict | asyncpg.UniqueViolationError):
        return Failure.CONFLICT
    if isinstance(exc, Unavailable):
        return Failure.TRANSIENT
    if isinstance(exc, asyncpg.PostgresError):
        state = str(getattr(exc, "sqlstate", "") or "")
        if state[:2] in _TRANSIENT_CLASSES or state in _TRANSIENT_CODES:
            return Failure.TRANSIENT
        return None
    if isinstance(exc, asyncpg.exceptions.InternalClientError):
        # "another operation is in progress" on a connection cut mid-query: a fresh one works
        return Failure.TRANSIENT
    if isinstance(exc, asyncpg.InterfaceError):
        # "connection is closed", "connection was closed in the middle of operation" ...
        return Failure.TRANSIENT if "closed" in str(exc).lower() else None
    if isinstance(exc, (ConnectionError, TimeoutError, asyncio.TimeoutError, *_TRANSIENT_NATS)):
        return Failure.TRANSIENT
    if isinstance(exc, OSError) and (exc.errno in _NETWORK_ERRNOS or str(exc).startswith("Multiple exceptions")):
        return Failure.TRANSIENT  # a refused or failed connect (asyncio's own OSError); not a missing file
    return None
