"""Idempotent commands, once for every service (ADR 7).

A command that creates something may carry a key made by the client (a hidden field in a form,
an ``Idempotency-Key`` header or an id in the body on ``/api``). The first request with a key
claims it in its own transaction, does its work and stores its reply beside its events; a repeat
with the same key returns that reply and stores nothing new. Two copies racing each other are
serialised by the key's row: the second waits for the first to commit, then finds its reply
(or, if the first failed and rolled back, does the work itself).

The same key with a different request is refused: it is a client bug, not a retry.
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from typing import TypeVar
from uuid import UUID

import asyncpg
import msgspec

from shared.errors import FieldError, Invalid
from shared.eventstore.store import unit_of_work

R = TypeVar("R")


class Once(msgspec.Struct, frozen=True, kw_only=True):
    """Who sent a keyed request, its key, and a fingerprint of everything else in it."""

    actor_id: UUID
    key: str
    fingerprint: str


def once_of(actor_id: UUID, key: str | None, request: object) -> Once | None:
    """The idempotency claim of ``request`` (None when it carries no key)."""
    if not key:
        return None
    digest = hashlib.sha256(msgspec.json.encode(request)).hexdigest()
    return Once(actor_id=actor_id, key=key, fingerprint=digest)


class Idempotency:
    """The ``idempotency`` table of one service schema."""

    def __init__(self, schema: str) -> None:
        self._claim = (
            f"INSERT INTO {schema}.idempotency (actor_id, key, fingerprint) VALUES ($1, $2, $3)"
            " ON CONFLICT (actor_id, key) DO NOTHING"
        )
        self._earlier = f"SELECT fingerprint, reply FROM {schema}.idempotency WHERE actor_id = $1 AND key = $2"
        self._remember = f"UPDATE {schema}.idempotency SET reply = $3 WHERE actor_id = $1 AND key = $2"

    async def run(
        self,
        pool: asyncpg.Pool,
        once: Once | None,
        reply_type: type[R],
        work: Callable[[asyncpg.Connection], Awaitable[R]],
    ) -> R:
        """``work`` in one unit of work, unless ``once`` was seen before: then its first reply."""
        async with unit_of_work(pool) as conn:
            if once is not None and not await self._first(conn, once):
                return await self._replay(conn, once, reply_type)
            reply = await work(conn)
            if once is not None:
                await conn.execute(self._remember, once.actor_id, once.key, msgspec.json.encode(reply))
            return reply

    async def _first(self, conn: asyncpg.Connection, once: Once) -> bool:
        """Claim the key; a twin still in flight makes this wait for its commit or rollback."""
        status = await conn.execute(self._claim, once.actor_id, once.key, once.fingerprint)
        return bool(status == "INSERT 0 1")

    async def _replay(self, conn: asyncpg.Connection, once: Once, reply_type: type[R]) -> R:
        fingerprint, reply = await conn.fetchrow(self._earlier, once.actor_id, once.key)
        if fingerprint != once.fingerprint:
            message = "This idempotency key was already used for a different request. Use a new key for a new request."
            raise Invalid(message, errors=(FieldError(field="idempotency_key", message=message),))
        return msgspec.json.decode(reply, type=reply_type)
