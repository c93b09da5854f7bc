"""Project fixtures: which schemas to migrate, and the whole system running beside the test."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Protocol

import pytest

from shared.bus.permissions import BusUser
from shared.service import ServiceDefinition, run_service
from shared.settings import Settings
from shared.testing.plugin import Servers
from smallwins.registry import PROCESSES, SERVICES, bus_users


@pytest.fixture(scope="session")
def smallwins_schemas() -> dict[str, Path]:
    return {name: d.migrations for name, d in SERVICES.items()}


@pytest.fixture(scope="session")
def smallwins_bus_users() -> tuple[BusUser, ...]:
    return bus_users("*")  # one server for every test's prefix


@pytest.fixture(scope="session")
def smallwins_db_roles() -> tuple[str, ...]:
    return PROCESSES


class RunningServices:
    """Every service on its own event loop in a background thread, like separate processes.

    (Litestar's AsyncTestClient runs the app in a portal thread and blocks the test's loop while
    a request is in flight, so services on the test's loop could not answer.)
    """

    def __init__(
        self, settings: Settings, definitions: list[ServiceDefinition], own: Callable[[str], Settings] | None = None
    ) -> None:
        self.settings = settings
        self._definitions = definitions
        self._own = own or (lambda _name: settings)  # each service's settings (its own bus credentials)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="services", daemon=True)

    def _run(self) -> None:
        try:
            asyncio.run(self._main())
        except BaseException as exc:  # noqa: BLE001 - reported to the test thread
            self._error = exc
            self._ready.set()

    async def _main(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        tasks = []
        for definition in self._definitions:
            started = asyncio.Event()
            own = self._own(definition.name)
            tasks.append(asyncio.create_task(run_service(definition, own, self._stop, started)))
            await asyncio.wait_for(started.wait(), 30)
        self._ready.set()
        await asyncio.gather(*tasks)

    def start(self) -> None:
        self._thread.start()
        assert self._ready.wait(60), "services did not start"
        self._raise_error()

    def stop(self) -> None:
        """Stop every service; once is enough (a second call, or one before ``start``, does nothing)."""
        if self._thread.ident is None:
            return
        if self._loop is not None and self._stop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(30)
        self._raise_error()

    def _raise_error(self) -> None:
        """What went wrong in the services' thread, told once."""
        error, self._error = self._error, None
        if error is not None:
            raise error


def as_process(settings: Settings, servers: Servers) -> Callable[[str], Settings]:
    """Settings for the process ``name``: its own NATS user and its own PostgreSQL role."""
    return lambda name: settings.with_(
        nats_url=servers.nats_url_for(name), database_url=servers.database_url_for(name, settings.database_url or "")
    )


class SomeServices(Protocol):
    def __call__(self, *names: str) -> RunningServices: ...


@pytest.fixture
def some_services(settings: Settings, sw_servers: Servers) -> Iterator[SomeServices]:
    """Starts some of the services, by name (``some_services("accounts")``), against the test's
    database and NATS prefix, each as its own process would run: its own bus user and database
    role. Each call starts fresh copies, as a process that is started again; the test may stop
    them; whatever still runs when it ends is stopped."""
    with contextlib.ExitStack() as started:  # each is stopped even when stopping another fails

        def start(*names: str) -> RunningServices:
            running = RunningServices(settings, [SERVICES[name] for name in names], as_process(settings, sw_servers))
            started.callback(running.stop)
            running.start()
            return running

        yield start


@pytest.fixture
def system(some_services: SomeServices) -> RunningServices:
    """Every service, running against the test's database and NATS prefix, each as its own bus user."""
    return some_services(*SERVICES)
