"""The kernel's part of erasing a member in one service: key, retried replies, parked messages."""

from __future__ import annotations

import datetime as dt
from uuid import uuid4

import asyncpg
import pytest

from shared.crypto import KeyErased, KeyStore, new_key
from shared.erasure import erased_among, forget, is_erased

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
