"""The shape every command handler shares: load a stream, fold it, decide, append, project."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Sequence
from typing import ClassVar, Protocol, TypeVar
from uuid import UUID, uuid4

import asyncpg

from shared.bus.rpc import CallContext
from shared.crypto import KeyStore
from shared.eventstore.store import EventStore, ExpectedVersion, utcnow
from shared.idempotency import Idempotency, once_of
from shared.messages import Event, Metadata, NewEvent
from shared.projections import Projection, project

S = TypeVar("S")
R = TypeVar("R")
E = TypeVar("E", bound=Event)


async def load(
    conn: asyncpg.Connection,
    store: EventStore,
    stream_id: str,
    evolve: Callable[[S | None, E], S],
) -> tuple[int, S | None]:
    """The stream's version and the state folded from its events (None if it has none)."""
    version, events = await store.read_stream(conn, stream_id)
    state: S | None = None
    for event in events:
        state = evolve(state, event)  # type: ignore[arg-type]
    return version, state


async def append_and_project(
    conn: asyncpg.Connection,
    store: EventStore,
    projections: Sequence[Projection],
    stream_id: str,
    events: Sequence[Event],
    *,
    expected: ExpectedVersion,
    metadata: Metadata,
    event_ids: Sequence[UUID] | None = None,
) -> int:
    """Append ``events`` and update the inline read models, in the caller's transaction."""
    if not events:
        return -1
    ids = list(event_ids) if event_ids is not None else [uuid4() for _ in events]
    new = [NewEvent(event_id=i, event=e) for i, e in zip(ids, events, strict=True)]
    version = await store.append(conn, stream_id, new, expected=expected, metadata=metadata)
    await project(conn, projections, events)
    return version


class Keyed(Protocol):
    """A request that creates something: who sent it and the key that makes a repeat harmless."""

    @property
    def actor_id(self) -> UUID: ...

    @property
    def idempotency_key(self) -> str | None: ...


class CommandHandlers:
    """What every service's command handlers share, written once: the pool, the event store, the
    member keys, idempotency and the clock; appending with the inline projections of the service
    (``projections``) and metadata from the call; running a creating command once per key.

    A service's handlers subclass this and keep only their own verbs (load -> fold -> decide ->
    append, each a few lines): see docs/adr/0025-one-shape-for-every-service.md."""

    projections: ClassVar[Sequence[Projection]] = ()

    def __init__(self, pool: asyncpg.Pool, store: EventStore, clock: Callable[[], dt.datetime] = utcnow) -> None:
        self._pool = pool
        self._store = store
        self._keys = KeyStore(store.schema)
        self._idempotency = Idempotency(store.schema)
        self._clock = clock

    async def _append(
        self,
        conn: asyncpg.Connection,
        stream: str,
        events: Sequence[Event],
        expected: ExpectedVersion,
        ctx: CallContext,
        actor: UUID,
        on_behalf_of: UUID | None = None,
        *,
        subject: UUID | None = None,
    ) -> int:
        """Append ``events`` to ``stream`` in the caller's transaction, with who acted, for whom, and
        whose personal data the events are about (``subject``; by default whom it was done for)."""
        meta = Metadata(
            correlation_id=ctx.correlation_id, actor_id=actor, on_behalf_of=on_behalf_of,
            subject_id=subject or on_behalf_of,
        )  # fmt: skip
        return await append_and_project(
            conn, self._store, self.projections, stream, events, expected=expected, metadata=meta
        )

    def _once(
        self, req: Keyed, reply_type: type[R], work: Callable[[asyncpg.Connection], Awaitable[R]]
    ) -> Awaitable[R]:
        """Run a creating command once per idempotency key (a repeat gets the first reply)."""
        return self._idempotency.run(self._pool, once_of(req.actor_id, req.idempotency_key, req), reply_type, work)
