"""What each ``smallwins`` command does."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import AsyncIterator, Mapping
from types import FrameType

import asyncpg

from shared import keyfile
from shared.bus.connection import connect
from shared.bus.rpc import ServiceClient
from shared.contracts.accounts import GrantRoleRequest, MemberView
from shared.crypto import KeyRing, install
from shared.db import create_pool, ensure_roles
from shared.db import migrate as migrate_schema
from shared.errors import DomainError
from shared.eventstore.store import EventStore
from shared.mail.catcher import serve_catcher
from shared.process import run_until_signalled
from shared.projections import rebuild as rebuild_projection
from shared.runtime import RuntimeProblem, require_free_port, running_info
from shared.service import ServiceContext, ServiceDefinition, Subscription, consumed_read_models, rebuild_consumed
from shared.settings import Settings
from smallwins.registry import PROCESSES, RUN_SERVICE, SERVICES
from smallwins.servers import child_env, mail_note, operator, servers
from smallwins.status import print_status
from smallwins.supervise import Supervisor

MAIL = "mail"  # the local mail catcher's process, when no SMTP server is configured


def up(settings: Settings) -> int:
    running = running_info(settings.data_dir)
    if running is not None and not (settings.database_url and settings.nats_url):
        raise RuntimeProblem(
            f"Small Wins is already running on the data folder {settings.data_dir} at {running.web_url} "
            f"(pid {running.pid}). Stop it first, or set SMALLWINS_DATA_DIR to another folder."
        )
    with servers(settings) as (s, embedded):
        require_free_port(s.http_port, "the web server", "SMALLWINS_HTTP_PORT")
        if s.mail_catcher:
            require_free_port(s.smtp_port, "the mail catcher", "SMALLWINS_SMTP_PORT")
        asyncio.run(_migrate_all(s))
        stopping = threading.Event()

        def on_signal(_sig: int, _frame: FrameType | None) -> None:
            stopping.set()

        signal.signal(signal.SIGINT, on_signal)
        signal.signal(signal.SIGTERM, on_signal)
        metrics_ports = _metrics_ports(s)

        def start(name: str) -> subprocess.Popen[bytes]:
            if name == MAIL:  # no database, no bus: only where to listen and where to keep what it catches
                child = {**os.environ, "SMALLWINS_SMTP_PORT": str(s.smtp_port), "SMALLWINS_DATA_DIR": str(s.data_dir)}
            else:
                child = {**child_env(s, name, embedded), "SMALLWINS_METRICS_PORT": str(metrics_ports.get(name, 0))}
            return subprocess.Popen(
                [sys.executable, "-m", "smallwins", "serve", name], env=child, start_new_session=True
            )

        supervisor = Supervisor(start, (*PROCESSES, *((MAIL,) if s.mail_catcher else ())), embedded)
        try:
            if embedded is not None:
                embedded.write_info(s.url)
            if not _wait_ready(s.url, supervisor.children, stopping):
                return 1
            print(f"\nSmall Wins is running at {s.url}  (press Ctrl-C to stop)\n{mail_note(s)}", flush=True)  # noqa: T201
            while not stopping.wait(0.5):
                supervisor.tick()
            print("\nStopping Small Wins...", flush=True)  # noqa: T201
            return 0
        finally:
            _stop_children(supervisor.children)
            if embedded is not None:
                embedded.clear_info()


def _metrics_ports(settings: Settings) -> dict[str, int]:
    """Each service serves its metrics on its own port: SMALLWINS_METRICS_PORT and the next ones
    (by default the ports right after web's); web serves its own at /metrics, to SMALLWINS_METRICS_TOKEN."""
    base = settings.metrics_port or settings.http_port + 1
    return {name: base + i for i, name in enumerate(SERVICES)}


def _wait_ready(url: str, children: dict[str, subprocess.Popen[bytes]], stopping: threading.Event) -> bool:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and not stopping.is_set():
        dead = [n for n, p in children.items() if p.poll() is not None]
        if dead:
            print(f"smallwins: {', '.join(dead)} failed to start; see the log above.", file=sys.stderr)  # noqa: T201
            return False
        with (
            contextlib.suppress(urllib.error.URLError, OSError),
            urllib.request.urlopen(f"{url}/health/ready", timeout=2) as resp,  # noqa: S310
        ):
            if resp.status == 200:
                return True
        time.sleep(0.3)
    if not stopping.is_set():
        print("smallwins: the system did not become ready within 90 s.", file=sys.stderr)  # noqa: T201
    return False


def _stop_children(children: dict[str, subprocess.Popen[bytes]]) -> None:
    # web first, so nobody is served by half a system; then the services, then the mail catcher
    for name in [*reversed(PROCESSES), MAIL]:
        proc = children.get(name)
        if proc is not None and proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    for proc in children.values():
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


def serve(settings: Settings, name: str) -> int:
    if name == MAIL:  # needs neither database nor NATS
        run_until_signalled(lambda stop: serve_catcher(settings, stop))
        return 0
    with servers(settings) as (s, _embedded):
        if name == "web":
            import uvicorn

            from web.app import create_app

            app = create_app(s)
            # what web holds from its start (modules, the app and its routes) is left out of the garbage
            # collector's full passes, which stop every request and live stream while they run (ADR 30)
            gc.freeze()
            # proxy_headers off: web itself decides whose X-Forwarded-For to believe (web/proxies.py);
            # a stop waits 5 s for requests, then ends live inbox streams (browsers reconnect elsewhere)
            uvicorn.run(
                app, host=s.http_host, port=s.http_port, log_config=None, access_log=False,
                proxy_headers=False, timeout_graceful_shutdown=5,
            )  # fmt: skip
            return 0
        RUN_SERVICE[name](s)
        return 0


def role_passwords(environ: Mapping[str, str]) -> dict[str, str]:
    """Deployments name each process's PostgreSQL password in ``SMALLWINS_DB_<PROCESS>_PASSWORD``."""
    named = {name: environ.get(f"SMALLWINS_DB_{name.upper()}_PASSWORD", "") for name in PROCESSES}
    return {name: password for name, password in named.items() if password}


async def _migrate_all(settings: Settings) -> None:
    conn = await asyncpg.connect(settings.servers()[0])
    try:
        passwords = role_passwords(os.environ)
        if passwords:  # a deployment's roles (the embedded servers make their own)
            await ensure_roles(conn, passwords)
        for name, definition in SERVICES.items():
            applied = await migrate_schema(conn, name, definition.migrations)
            if applied:
                print(f"{name}: applied {', '.join(applied)}")  # noqa: T201
        if await keyfile.prepare(conn, settings.keys_path, SERVICES):
            print(  # noqa: T201
                f"Made the key file {settings.keys_path}. Back it up apart from the database: without it, "
                "members' private text cannot be read."
            )
    finally:
        await conn.close()


async def keys(settings: Settings, action: str) -> int:
    """``init``: migrate, and make the key file for a new system; ``rotate``: a new key-encryption key."""
    with servers(settings) as (s, _embedded):
        if action == "init":
            await _migrate_all(s)
            print(f"The key file is {s.keys_path}; every data key is wrapped by it.")  # noqa: T201
            return 0
        conn = await asyncpg.connect(s.servers()[0])
        try:
            moved = await keyfile.rotate(conn, s.keys_path, SERVICES)
        finally:
            await conn.close()
    print(f"Rotated: {moved} data keys wrapped by the new key; the old key is gone from {s.keys_path}.")  # noqa: T201
    return 0


async def migrate(settings: Settings) -> int:
    with servers(settings) as (s, _embedded):
        await _migrate_all(s)
    print("Migrations are up to date.")  # noqa: T201
    return 0


async def rebuild(settings: Settings, service: str, read_model: str) -> int:
    definition = SERVICES[service]
    projections = {p.name: p for p in definition.projections}
    consumed = consumed_read_models(definition)
    if read_model not in projections and read_model not in consumed:
        known = ", ".join([*projections, *consumed]) or "none"
        print(f"smallwins: {service} has no read model {read_model!r} (it has: {known}).", file=sys.stderr)  # noqa: T201
        return 2
    with servers(settings) as (s, _embedded):
        await _migrate_all(s)
        database_url, nats_url = s.servers()
        install(KeyRing(s.keys_path))  # a projection may open sealed values (accounts: pseudonyms)
        pool = await create_pool(database_url, schema=service, max_size=2)
        try:
            store = EventStore(service, definition.registry)
            if read_model in projections:
                count = await rebuild_projection(pool, store, projections[read_model])
            else:
                count = await _rebuild_consumed(s, definition, consumed[read_model], pool, nats_url)
        finally:
            await pool.close()
    print(f"Rebuilt {service}.{read_model} from {count} events.")  # noqa: T201
    return 0


async def _rebuild_consumed(
    settings: Settings, definition: ServiceDefinition, sub: Subscription, pool: asyncpg.Pool, nats_url: str
) -> int:
    nc = await connect(nats_url, name="smallwins-rebuild")
    try:
        store = EventStore(definition.name, definition.registry)
        return await rebuild_consumed(definition, sub, ServiceContext(settings=settings, pool=pool, nc=nc, store=store))
    finally:
        await nc.close()


async def status(settings: Settings) -> int:
    with servers(settings) as (s, embedded):
        if embedded is not None:
            print("Small Wins is not running; showing its stored state.")  # noqa: T201
        return await print_status(s, SERVICES)


@contextlib.asynccontextmanager
async def running_system(
    settings: Settings, *, request_timeout: float
) -> AsyncIterator[tuple[Settings, ServiceClient]]:
    """A client for the services of a system that is running now; says so clearly if none is."""
    with servers(settings) as (s, embedded):
        if embedded is not None:
            raise RuntimeProblem(
                "Small Wins is not running. Start it with `make run`, then try again in another terminal."
            )
        nc = await connect(s.servers()[1], name="smallwins-cli")
        try:
            yield s, ServiceClient(nc, s.nats_prefix, request_timeout)
        finally:
            await nc.close()


async def grant_moderator(settings: Settings, pseudonym: str) -> int:
    async with running_system(settings, request_timeout=settings.request_timeout) as (_, client):
        try:
            request = GrantRoleRequest(pseudonym=pseudonym, role="moderator")
            member = await client.call("accounts", "grant_role", request, MemberView, actor=operator())
        except DomainError as exc:
            print(f"smallwins: {exc.message}", file=sys.stderr)  # noqa: T201
            return 1
    print(f"{member.pseudonym} is now a moderator (roles: {', '.join(member.roles)}).")  # noqa: T201
    return 0


async def demo(settings: Settings) -> int:
    from smallwins.demo import DemoBlocked, seed  # the demo's texts load only when asked for

    async with running_system(settings, request_timeout=30) as (s, client):
        try:
            seeded = await seed(client)
        except DemoBlocked as exc:
            print(f"The demo was not added: {exc}")  # noqa: T201
            return 1
    said = "Demo data added." if seeded.added else "The demo is already here; nothing was changed."
    print(f"{said} Open {s.url} and sign in as one of:")  # noqa: T201
    for email, password in seeded.logins.items():
        print(f"  {email}  password: {password}")  # noqa: T201
    for name, pseudonym in seeded.renamed.items():
        print(f"{name!r} is taken on this system, so the demo's {name} is called {pseudonym!r}.")  # noqa: T201
    return 0
