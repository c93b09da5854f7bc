from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio

from shared.bus.connection import connect
from shared.bus.rpc import ServiceClient
from shared.settings import Settings


@pytest_asyncio.fixture
async def client(settings: Settings, system: object) -> AsyncIterator[ServiceClient]:
    nc = await connect(settings.servers()[1], name="test")
    yield ServiceClient(nc, settings.nats_prefix)
    await nc.close()
