"""A scratch schema with a tiny event type, for testing the kernel on its own."""

from __future__ import annotations

from pathlib import Path
from uuid import uuid4

import asyncpg

from shared.db import migrate
from shared.eventstore.store import EventStore
from shared.messages import Event, EventRegistry, NewEvent

SCHEMA = "scratch"
EMPTY = Path(__file__).parent / "no_migrations"


class Ticked(Event, tag="scratch.ticked.v1", frozen=True, kw_only=True):
    n: int
    writer: int = 0


class TickedV2(Event, tag="scratch.ticked.v2", frozen=True, kw_only=True):
    n: int
    writer: int = 0
    note: str


async def scratch_store(database_url: str) -> EventStore:
    conn = await asyncpg.connect(database_url)
    try:
        await migrate(conn, SCHEMA, EMPTY)
    finally:
        await conn.close()
    return EventStore(SCHEMA, EventRegistry([Ticked, TickedV2]))  # fresh: tests may add upcasters


def ticks(*ns: int, writer: int = 0) -> list[NewEvent]:
    return [NewEvent(event_id=uuid4(), event=Ticked(n=n, writer=writer)) for n in ns]
