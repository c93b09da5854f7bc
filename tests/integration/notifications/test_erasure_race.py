"""An item about a member written while that member is being erased, with real PostgreSQL: whichever
transaction comes first, the other waits for it, and the item never keeps their name (the erasure
words it again, or the item finds them erased)."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from uuid import UUID, uuid4

import asyncpg
import msgspec
import pytest
import pytest_asyncio

from services.notifications.domain.inbox import Notice
from services.notifications.erasing import eraser
from services.notifications.inbox import deliver
from services.notifications.main import SERVICE
from shared.contracts.erasure import MEMBER_ERASED
from shared.db import create_pool
from shared.eventstore.store import EventStore
from shared.messages import Metadata, RecordedEvent
from shared.settings import Settings

pytestmark = pytest.mark.integration
ANA = uuid4()
STORE = EventStore("notifications", SERVICE.registry)
WAIT = 0.5  # long enough for a transaction that is not blocked to finish


@pytest_asyncio.fixture
async def pool(settings: Settings) -> AsyncIterator[asyncpg.Pool]:
    pool = await create_pool(settings.database_url or "", schema="notifications", min_size=2, max_size=3)
    await pool.execute("INSERT INTO people (member_id, pseudonym) VALUES ($1, 'Ana')", ANA)
    yield pool
    await pool.close()


def _event(event_type: str, data: dict[str, str]) -> RecordedEvent:
    now = dt.datetime.now(dt.UTC)
    return RecordedEvent(
        global_position=0, transaction_id=0, event_id=uuid4(), stream_id="test", stream_version=1,
        event_type=event_type, schema_version=1, data=msgspec.Raw(msgspec.json.encode(data)), metadata=Metadata(),
        recorded_at=now,
    )  # fmt: skip


async def _someone(pool: asyncpg.Pool, name: str) -> UUID:
    member = uuid4()
    await pool.execute("INSERT INTO people (member_id, pseudonym) VALUES ($1, $2)", member, name)
    return member


async def _cheer(conn: asyncpg.Connection, reader: UUID, story: UUID) -> None:
    """``reader`` is proud of Ana's story: told to Ana, as the stories consumer does it."""
    notice = Notice(member_id=ANA, kind="encouraged", about="story", about_id=story, actor_id=reader,
                    variant="proud", grouped=True)  # fmt: skip
    await deliver(conn, STORE, [notice], _event("stories.encouraged.v1", {}))


async def _erase(conn: asyncpg.Connection, member: UUID) -> None:
    await eraser(STORE)(conn, _event(MEMBER_ERASED, {"member_id": str(member)}))


async def _title(pool: asyncpg.Pool, story: UUID) -> str:
    return str(await pool.fetchval("SELECT title FROM inbox WHERE member_id = $1 AND about_id = $2", ANA, story))


async def _in_transaction(pool: asyncpg.Pool, work: object, *args: object) -> None:
    async with pool.acquire() as conn, conn.transaction():
        await work(conn, *args)  # type: ignore[operator]


async def test_an_item_written_first_is_worded_again_by_the_erasure_that_waited_for_it(pool: asyncpg.Pool) -> None:
    gone, story = await _someone(pool, "Zqxmoss"), uuid4()
    async with pool.acquire() as conn:
        telling = conn.transaction()
        await telling.start()
        await _cheer(conn, gone, story)
        erasing = asyncio.create_task(_in_transaction(pool, _erase, gone))
        await asyncio.sleep(WAIT)
        assert not erasing.done()  # it waits for the item's transaction
        await telling.commit()
    await erasing
    assert await _title(pool, story) == "A former member is proud of your story"


async def test_an_item_that_waited_for_the_erasure_finds_them_erased(pool: asyncpg.Pool) -> None:
    gone, story = await _someone(pool, "Zqxmoss"), uuid4()
    async with pool.acquire() as conn:
        erasure = conn.transaction()
        await erasure.start()
        await _erase(conn, gone)
        telling = asyncio.create_task(_in_transaction(pool, _cheer, gone, story))
        await asyncio.sleep(WAIT)
        assert not telling.done()  # it checked before the erasure committed, and waits to name them
        await erasure.commit()
    await telling
    assert await _title(pool, story) == "A former member is proud of your story"
    assert "Zqxmoss" not in str(await pool.fetch("SELECT names, title FROM inbox"))
