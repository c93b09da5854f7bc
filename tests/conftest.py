"""Project fixtures: which schemas to migrate, and the whole system running in-process."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from shared.service import ServiceDefinition, run_service
from shared.settings import Settings
from smallwins.registry import SERVICES


@pytest.fixture(scope="session")
def smallwins_schemas() -> dict[str, Path]:
    return {name: make().migrations for name, make in SERVICES.items()}


class RunningServices:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._stop = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []

    async def start(self, definitions: list[ServiceDefinition]) -> None:
        for definition in definitions:
            started = asyncio.Event()
            task = asyncio.create_task(run_service(definition, self.settings, self._stop, started))
            self._tasks.append(task)
            waiter = asyncio.create_task(started.wait())
            done, _ = await asyncio.wait([waiter, task], timeout=30, return_when=asyncio.FIRST_COMPLETED)
            if task in done:
                task.result()  # raises what went wrong
            assert waiter in done, f"{definition.name} did not start"

    async def stop(self) -> None:
        self._stop.set()
        await asyncio.gather(*self._tasks)


@pytest_asyncio.fixture
async def system(settings: Settings) -> AsyncIterator[RunningServices]:
    """Every service, running in this process against the test's database and NATS prefix."""
    running = RunningServices(settings)
    await running.start([make() for make in SERVICES.values()])
    yield running
    await running.stop()
