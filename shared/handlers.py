"""The shape every command handler shares: load a stream, fold it, decide, append, project."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar
from uuid import UUID, uuid4

import asyncpg

from shared.eventstore.store import EventStore, ExpectedVersion
from shared.messages import Event, Metadata, NewEvent
from shared.projections import Projection, project

S = TypeVar("S")
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
