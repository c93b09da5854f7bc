from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio

from services.notifications.main import SERVICE
from shared.bus.connection import connect
from shared.bus.rpc import ServiceClient
from shared.db import create_pool
from shared.eventstore.store import EventStore
from shared.service import ServiceContext
from shared.settings import Settings


@pytest_asyncio.fixture
async def client(settings: Settings, system: object) -> AsyncIterator[ServiceClient]:
    nc = await connect(settings.servers()[1], name="test")
    yield ServiceClient(nc, settings.nats_prefix)
    await nc.close()


@pytest_asyncio.fixture
async def ctx(settings: Settings, system: object) -> AsyncIterator[ServiceContext]:
    """The notifications service's own pool, bus and store beside the running system, to run its
    consumers and rebuilds from the test."""
    pool = await create_pool(settings.database_url or "", schema="notifications", min_size=1, max_size=3)
    nc = await connect(settings.servers()[1], name="test-ctx")
    yield ServiceContext(settings=settings, pool=pool, nc=nc, store=EventStore("notifications", SERVICE.registry))
    await nc.close()
    await pool.close()
