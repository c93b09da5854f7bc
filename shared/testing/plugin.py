"""pytest plugin: real PostgreSQL and NATS for the whole run, a fresh database per test.

* One embedded PostgreSQL and one NATS (JetStream) are started for the session, unless
  ``SMALLWINS_TEST_DATABASE_URL`` and ``SMALLWINS_TEST_NATS_URL`` point at running servers.
  If they cannot start, the run fails; it never skips.
* A template database is migrated once (schemas from the ``smallwins_schemas`` fixture, which
  the project's conftest provides); every test gets a clone of it and its own NATS prefix.
"""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import nats
import pytest
import pytest_asyncio
from aiosmtpd.controller import Controller

from shared.bus.permissions import BusUser
from shared.crypto import KeyRing, install, new_key, new_kid, write_key_file
from shared.db import ensure_roles, migrate
from shared.mail.catcher import Catch
from shared.runtime import EmbeddedServers, free_port
from shared.settings import LOCAL_HOST, Settings

T = TypeVar("T")


class Servers:
    def __init__(self, admin_url: str, nats_url: str, embedded: EmbeddedServers | None = None) -> None:
        self.admin_url = admin_url
        self.nats_url = nats_url  # the operator's: the harness may do anything
        self.template = f"sw_template_{os.getpid()}"
        self._embedded = embedded

    def nats_url_for(self, user: str) -> str:
        """The URL a process acting as ``user`` connects with (its own permissions)."""
        return self._embedded.nats_url_for(user) if self._embedded else self.nats_url

    def database_url_for(self, process: str, database_url: str) -> str:
        """``database_url`` (a test's database) as ``process``'s own login role."""
        if self._embedded is None:
            return database_url
        own = urlsplit(self._embedded.database_url_for(process))
        return urlunsplit(urlsplit(database_url)._replace(netloc=own.netloc))

    def database_url(self, name: str) -> str:
        base, _, _ = self.admin_url.rpartition("/")
        return f"{base}/{name}"


@pytest.fixture(scope="session")
def smallwins_bus_users() -> tuple[BusUser, ...]:
    """The bus users of every process, for any prefix (``*``). Override in the project's conftest."""
    return ()


@pytest.fixture(scope="session")
def smallwins_db_roles() -> tuple[str, ...]:
    """The processes that get a login role of their own. Override in the project's conftest."""
    return ()


@pytest.fixture(scope="session")
def sw_servers(
    tmp_path_factory: pytest.TempPathFactory,
    smallwins_bus_users: tuple[BusUser, ...],
    smallwins_db_roles: tuple[str, ...],
) -> Iterator[Servers]:
    db, mq = os.environ.get("SMALLWINS_TEST_DATABASE_URL"), os.environ.get("SMALLWINS_TEST_NATS_URL")
    if db and mq:
        yield Servers(db, mq)
        return
    embedded = EmbeddedServers(
        tmp_path_factory.mktemp("servers"), postgres_port=free_port(), nats_port=free_port(), fast_unsafe=True,
        bus_users=smallwins_bus_users, db_roles=smallwins_db_roles,
    )  # fmt: skip
    embedded.start()
    try:
        yield Servers(embedded.database_url, embedded.nats_url, embedded)
    finally:
        embedded.stop()


@pytest.fixture(scope="session")
def smallwins_schemas() -> dict[str, Path]:
    """Schema name -> migrations folder. Override in the project's conftest."""
    return {}


@pytest_asyncio.fixture(scope="session")
async def sw_template(sw_servers: Servers, smallwins_schemas: dict[str, Path]) -> str:
    admin = await asyncpg.connect(sw_servers.admin_url)
    try:
        await admin.execute(f"DROP DATABASE IF EXISTS {sw_servers.template} WITH (FORCE)")
        await admin.execute(f"CREATE DATABASE {sw_servers.template}")
    finally:
        await admin.close()
    conn = await asyncpg.connect(sw_servers.database_url(sw_servers.template))
    try:
        await ensure_roles(conn, {})  # the owner role may create the schemas here
        for schema, migrations in smallwins_schemas.items():
            await migrate(conn, schema, migrations)
    finally:
        await conn.close()
    return sw_servers.template


@pytest_asyncio.fixture
async def database_url(sw_servers: Servers, sw_template: str) -> AsyncIterator[str]:
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(sw_servers.admin_url)
    try:
        await admin.execute(f"CREATE DATABASE {name} TEMPLATE {sw_template}")
        yield sw_servers.database_url(name)
        await admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    finally:
        await admin.close()


@pytest_asyncio.fixture
async def nats_prefix(sw_servers: Servers) -> AsyncIterator[str]:
    prefix = f"t{uuid.uuid4().hex[:10]}"
    yield prefix
    nc = await nats.connect(sw_servers.nats_url)
    try:
        js = nc.jetstream()
        for stream in await js.streams_info():
            if stream.config.name and stream.config.name.startswith(prefix.upper() + "_"):
                await js.delete_stream(stream.config.name)
    finally:
        await nc.close()


@pytest.fixture(scope="session")
def sw_key_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The run's key file: every test's data keys are wrapped by it, as in a deployment."""
    path = tmp_path_factory.mktemp("keys") / "keys.json"
    kid = new_kid()
    write_key_file(path, {kid: new_key()}, kid)
    install(KeyRing(path))  # the harness opens what the services sealed, as they do
    return path


@pytest.fixture(autouse=True)
def sw_key_ring(sw_key_file: Path) -> None:
    """Every test starts with the run's key ring installed: a service run in-process installs the
    ring of its own key file (and a test may have removed that file), which must not leak into the
    next test."""
    install(KeyRing(sw_key_file))


class MailBox:
    """A real SMTP server (aiosmtpd) on a port of its own, keeping what arrives; it can refuse
    every message for a while (``catch.refusing``), or stop and start again."""

    def __init__(self) -> None:
        self.catch = Catch()
        self.port = free_port()
        self._controller: Controller | None = None

    def start(self) -> None:
        self._controller = Controller(self.catch, hostname=LOCAL_HOST, port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def to(self, address: str) -> list[EmailMessage]:
        """Every message that arrived for ``address``, oldest first."""
        return [m for m in self.catch.messages if address.lower() in str(m["To"]).lower()]

    @staticmethod
    def text(message: EmailMessage) -> str:
        part = message.get_body(preferencelist=("plain",))
        return part.get_content() if isinstance(part, EmailMessage) else ""


@pytest.fixture
def sw_mail() -> Iterator[MailBox]:
    """The test's own SMTP server; ``settings`` sends every service's mail to it."""
    box = MailBox()
    box.start()
    yield box
    box.stop()


@pytest.fixture
def settings(
    database_url: str, nats_prefix: str, sw_servers: Servers, tmp_path: Path, sw_key_file: Path, sw_mail: MailBox
) -> Settings:
    return Settings(
        smtp_host=LOCAL_HOST,
        smtp_port=sw_mail.port,
        key_file=sw_key_file,
        database_url=database_url,
        nats_url=sw_servers.nats_url,
        nats_prefix=nats_prefix,
        data_dir=tmp_path,
        secret_key="test-secret-key-not-for-production",  # noqa: S106
        request_timeout=5.0,
    )


async def eventually(probe: Callable[[], Awaitable[T]], *, timeout: float = 10.0, interval: float = 0.05) -> T:  # noqa: ASYNC109
    """Call ``probe`` until it returns a truthy value without raising; return that value."""
    deadline = time.monotonic() + timeout
    last: BaseException | None = None
    while True:
        try:
            value = await probe()
            if value:
                return value
        except AssertionError as exc:
            last = exc
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout}s") from last
        await asyncio.sleep(interval)
