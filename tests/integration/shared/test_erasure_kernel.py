"""The kernel's part of erasing a member in one service: key, retried replies, parked messages; and
``follower``, the shape of every service's consumer of ``accounts.member_erased``."""

from __future__ import annotations

import datetime as dt
import json
from uuid import UUID, uuid4, uuid5

import asyncpg
import msgspec
import pytest

from shared.contracts.erasure import MEMBER_ERASED
from shared.crypto import KeyErased, KeyStore, new_key
from shared.erasure import Leaving, erased_among, follower, forget, is_erased
from shared.eventstore.store import EventStore
from shared.messages import Event, EventRegistry, Metadata, RecordedEvent

pytestmark = pytest.mark.integration

NOW = dt.datetime(2026, 12, 5, 9, 0, tzinfo=dt.UTC)


async def test_forget_takes_the_key_replies_and_parked_messages_of_one_member_only(database_url: str) -> None:
    gone, stays = uuid4(), uuid4()
    keys = KeyStore("journal")
    conn = await asyncpg.connect(database_url)
    try:
        for who in (gone, stays):
            await keys.store(conn, who, new_key())
            await conn.execute(
                "INSERT INTO journal.idempotency (actor_id, key, fingerprint, reply) VALUES ($1, 'k1', 'f', 'x')", who
            )
            await conn.execute(
                "INSERT INTO journal.parked_messages (consumer, subject, data, error, deliveries)"
                " VALUES ('c', 's', $1, 'boom', 5)",
                f'{{"member_id":"{who}"}}'.encode(),
            )
        assert await forget(conn, "journal", gone, NOW) is True
        assert await forget(conn, "journal", gone, NOW) is False  # a redelivery changes nothing more

        with pytest.raises(KeyErased):
            await keys.get(conn, gone)
        assert await keys.get(conn, stays)
        assert await conn.fetchval("SELECT array_agg(actor_id) FROM journal.idempotency") == [stays]
        parked = await conn.fetchval("SELECT array_agg(convert_from(data, 'UTF8')) FROM journal.parked_messages")
        assert parked == [f'{{"member_id":"{stays}"}}']
        assert await is_erased(conn, "journal", gone) and not await is_erased(conn, "journal", stays)
        assert await erased_among(conn, "journal", [gone, stays, None]) == {gone}
    finally:
        await conn.close()


class Left(Event, tag="kernel_test.member_left.v1", frozen=True, kw_only=True):
    member_id: UUID
    notes: int
    erased_at: dt.datetime


def _cause(member_id: UUID) -> RecordedEvent:
    """``accounts.member_erased`` as the consumer receives it."""
    body = {"type": MEMBER_ERASED, "member_id": str(member_id), "erased_at": NOW.isoformat()}
    return RecordedEvent(
        global_position=1, transaction_id=1, event_id=uuid4(), stream_id=f"member-{member_id}", stream_version=2,
        event_type=MEMBER_ERASED, schema_version=1, data=msgspec.Raw(json.dumps(body).encode()),
        metadata=Metadata(correlation_id="req-1", subject_id=member_id), recorded_at=NOW,
    )  # fmt: skip


async def test_follower_reads_before_it_writes_says_so_once_purges_with_what_it_read_and_forgets(
    database_url: str,
) -> None:
    gone, stays = uuid4(), uuid4()
    store = EventStore("journal", EventRegistry([Left]))
    purged: list[Leaving[int]] = []
    notes = "SELECT count(*) FROM journal.notes WHERE author_id = $1"

    async def count_notes(conn: asyncpg.Connection, member: UUID) -> int:
        return int(await conn.fetchval(notes, member))

    async def purge(conn: asyncpg.Connection, left: Leaving[int]) -> None:
        purged.append(left)
        await conn.execute("DELETE FROM journal.notes WHERE author_id = $1", left.member_id)

    handler = follower(
        store, (), read_first=count_notes,
        applied=lambda left: Left(member_id=left.member_id, notes=left.found, erased_at=left.at), purge=purge,
    )  # fmt: skip
    cause = _cause(gone)
    conn = await asyncpg.connect(database_url)
    try:
        for who, n in ((gone, 2), (stays, 1)):
            for _ in range(n):
                await conn.execute(
                    "INSERT INTO journal.notes (note_id, entry_id, journal_id, author_id, text, added_at)"
                    " VALUES ($1, $2, $3, $4, 'x', $5)",
                    uuid4(), uuid4(), uuid4(), who, NOW,
                )  # fmt: skip
        async with conn.transaction():
            await handler(conn, cause)
        (left,) = purged
        assert (left.member_id, left.at, left.found) == (gone, NOW, 2)  # read before the purge took them
        meta = Metadata(correlation_id="req-1", causation_id=str(cause.event_id), subject_id=gone)
        assert left.metadata == meta
        row = await conn.fetchrow("SELECT * FROM journal.events WHERE event_type = 'kernel_test.member_left.v1'")
        assert row["event_id"] == uuid5(cause.event_id, "journal")  # derived from the cause
        assert (row["stream_id"], row["stream_version"]) == (f"erased-{gone}", 1)
        assert msgspec.json.decode(row["data"])["notes"] == 2
        assert msgspec.json.decode(row["metadata"], type=Metadata) == meta
        assert await count_notes(conn, gone) == 0 and await count_notes(conn, stays) == 1
        assert await is_erased(conn, "journal", gone)

        async with conn.transaction():  # a redelivery, or a second erasure: nothing read, nothing said
            await handler(conn, cause)
            await handler(conn, msgspec.structs.replace(cause, event_id=uuid4()))
        assert len(purged) == 1
        assert await conn.fetchval("SELECT count(*) FROM journal.events") == 1
    finally:
        await conn.close()
