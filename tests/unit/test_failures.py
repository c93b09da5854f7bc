"""Telling a blip from a real failure."""

from __future__ import annotations

import errno

import asyncpg
import nats.errors
import pytest

from shared.errors import ConcurrencyConflict, Unavailable
from shared.failures import Failure, classify

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    "exc",
    [
        asyncpg.exceptions.AdminShutdownError("terminating connection due to administrator command"),
        asyncpg.exceptions.CannotConnectNowError("the database system is starting up"),
        asyncpg.exceptions.ConnectionDoesNotExistError("connection was closed in the middle of operation"),
        asyncpg.exceptions.SerializationError("could not serialize access"),
        asyncpg.exceptions.DeadlockDetectedError("deadlock detected"),
        asyncpg.exceptions.TooManyConnectionsError("sorry, too many clients already"),
        asyncpg.InterfaceError("connection is closed"),
        OSError(errno.ECONNREFUSED, "Connect call failed"),
        ConnectionResetError(),
        TimeoutError(),
        nats.errors.ConnectionClosedError(),
        nats.errors.NoRespondersError(),
        Unavailable("The journal service is not running."),
    ],
)
def test_blips_are_transient(exc: BaseException) -> None:
    assert classify(exc) is Failure.TRANSIENT


@pytest.mark.parametrize(
    "exc",
    [
        ValueError("tick 2 cannot be applied"),
        KeyError("missing"),
        FileNotFoundError(errno.ENOENT, "no such file"),
        asyncpg.exceptions.UndefinedTableError('relation "journal.nope" does not exist'),
        asyncpg.exceptions.NotNullViolationError("null value in column"),
        asyncpg.InterfaceError("cannot call Connection.fetch(): connection has been released back to the pool"),
    ],
)
def test_real_failures_are_permanent(exc: BaseException) -> None:
    assert classify(exc) is Failure.PERMANENT


def test_conflicts_and_causes() -> None:
    assert classify(ConcurrencyConflict("entry-1", expected=1)) is Failure.CONFLICT
    assert classify(asyncpg.exceptions.UniqueViolationError("duplicate key")) is Failure.CONFLICT
    outer = RuntimeError("the handler failed")
    outer.__cause__ = asyncpg.exceptions.AdminShutdownError("terminating connection")
    assert classify(outer) is Failure.TRANSIENT  # a wrapped blip is still a blip
