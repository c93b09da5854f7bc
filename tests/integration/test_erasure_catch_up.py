"""A service that is down when a member is erased catches up from the event when it is back, and
the erasure is not reported done until it has (docs/adr/0034-erasure.md)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import asyncpg
import pytest
import pytest_asyncio

from shared.bus.connection import connect
from shared.bus.rpc import ServiceClient
from shared.contracts import accounts as acc
from shared.contracts import journal as j
from shared.contracts.erasure import APPLIED
from shared.settings import Settings
from shared.testing.plugin import eventually
from smallwins.registry import SERVICES
from smallwins.servers import operator
from tests.conftest import RunningServices, SomeServices
from tests.support.people import register

pytestmark = pytest.mark.integration


@pytest.fixture
def the_rest(some_services: SomeServices) -> RunningServices:
    return some_services(*(name for name in SERVICES if name != "journal"))


@pytest_asyncio.fixture
async def client(settings: Settings, the_rest: RunningServices) -> AsyncIterator[ServiceClient]:
    nc = await connect(settings.servers()[1], name="test")
    yield ServiceClient(nc, settings.nats_prefix)
    await nc.close()


async def _value(database_url: str, query: str, *args: object) -> object:
    conn = await asyncpg.connect(database_url)
    try:
        return await conn.fetchval(query, *args)
    finally:
        await conn.close()


async def test_a_service_down_at_the_erasure_applies_it_when_it_is_back(
    client: ServiceClient, settings: Settings, some_services: SomeServices
) -> None:
    db = settings.database_url or ""
    journal = some_services("journal")
    robin = await register(client, "Robin Leaves", db)
    await robin.call("record", j.Saved, entry={"kind": "victory", "text": "Walked to the lake"})
    journal.stop()  # the journal is down from here

    await client.ask(acc.ERASE_NOW, acc.EraseNowRequest(pseudonym="Robin Leaves"), actor=operator())

    async def applied() -> set[str]:
        conn = await asyncpg.connect(db)
        try:
            rows = await conn.fetch(
                "SELECT service FROM accounts.erasure_applied WHERE member_id = $1 AND applied_at IS NOT NULL",
                robin.id,
            )
        finally:
            await conn.close()
        return {r["service"] for r in rows}

    async def all_but_the_journal() -> bool:
        return await applied() == set(APPLIED) - {"journal"}

    await eventually(all_but_the_journal, timeout=20)
    assert await _value(db, "SELECT count(*) FROM journal.entries WHERE author_id = $1", robin.id) == 1
    assert await _value(db, "SELECT erased_at FROM accounts.erasures WHERE member_id = $1", robin.id) is not None

    some_services("journal")  # back (a fresh copy, as a restarted process): its consumer finds the event waiting

    async def everywhere() -> bool:
        return await applied() == set(APPLIED)

    await eventually(everywhere, timeout=30)
    assert await _value(db, "SELECT count(*) FROM journal.entries WHERE author_id = $1", robin.id) == 0
    assert await _value(db, "SELECT count(*) FROM journal.member_keys WHERE member_id = $1", robin.id) == 0
