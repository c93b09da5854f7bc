"""Running one service process: pool, NATS, migrations, streams, endpoints, relay, consumers."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from wsgiref.simple_server import WSGIServer

import asyncpg
from nats.aio.client import Client
from nats.js import JetStreamContext

from shared.bus.connection import connect
from shared.bus.rpc import CallContext, Route, route, serve
from shared.bus.streams import ConsumerSpec, event_stream, event_subject, provision_consumer, provision_stream
from shared.consumers import ConsumerRunner, Handler
from shared.contracts.common import Empty, HealthView
from shared.crypto import KeyRing, install
from shared.db import create_pool, migrate, pending
from shared.eventstore.store import EventStore
from shared.failures import is_transient
from shared.messages import EventRegistry
from shared.metrics import Probe, ServiceMetrics
from shared.process import run_until_signalled
from shared.projections import Projection, rebuild_from_stream
from shared.relay import Relay
from shared.settings import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True, kw_only=True)
class ServiceContext:
    settings: Settings
    pool: asyncpg.Pool
    nc: Client
    store: EventStore


@dataclass(frozen=True, kw_only=True)
class Subscription:
    """A consumer of another service's events."""

    producer: str
    purpose: str
    event_types: tuple[str, ...]
    make_handler: Callable[[ServiceContext], Handler]
    # The read model the consumer builds, if it is one (then its handler must be idempotent and
    # name its tables without a schema): `smallwins rebuild <service> <read model>` rebuilds it
    # from the producer's stream, under ``read_model`` (the purpose if not named).
    tables: tuple[str, ...] = ()
    read_model: str = ""
    # What a rebuild replays, when the live handler does more than build those tables (such as
    # appending to the service's own log): it must write the tables exactly as the live one does.
    make_rebuilder: Callable[[ServiceContext], Handler] | None = None

    @property
    def rebuilt_as(self) -> str:
        return self.read_model or self.purpose


Worker = Callable[[asyncio.Event], Coroutine[Any, Any, None]]
"""A background loop of a service (such as its mail sender): runs until the event is set."""


@dataclass(frozen=True, kw_only=True)
class ServiceDefinition:
    """Everything that makes one service, declared in its ``main.py``; the kernel does the rest
    (pool, NATS, migrations, streams, endpoints and health, relay, consumers, metrics)."""

    name: str  # also its PostgreSQL schema and its part of every NATS name
    migrations: Path  # its folder of ``NNNN_*.sql`` files, applied after the kernel's
    registry: EventRegistry
    projections: tuple[Projection, ...] = ()  # inline read models, updated in the append transaction
    routes: Callable[[ServiceContext], dict[str, Route]] = lambda _ctx: {}  # its verbs, "health" added
    subscriptions: tuple[Subscription, ...] = ()  # consumers of other services' events
    probe: Probe | None = None  # the service's own figures for its metrics
    workers: Callable[[ServiceContext], tuple[Worker, ...]] = lambda _ctx: ()  # e.g. its mail sender


def consumer_spec(prefix: str, consumer: str, sub: Subscription) -> ConsumerSpec:
    stream = event_stream(prefix, sub.producer)
    return ConsumerSpec(
        stream=stream.name,
        durable=f"{prefix}_{consumer}-{sub.purpose}",
        filter_subjects=tuple(event_subject(prefix, sub.producer, t) for t in sub.event_types),
    )


def consumed_read_models(definition: ServiceDefinition) -> dict[str, Subscription]:
    """The read models the service's consumers build, by the name `smallwins rebuild` knows them by."""
    return {sub.rebuilt_as: sub for sub in definition.subscriptions if sub.tables}


async def rebuild_consumed(definition: ServiceDefinition, sub: Subscription, ctx: ServiceContext) -> int:
    """Rebuild a consumer-built read model from the producer's stream while the service runs;
    returns the messages replayed (``shared.projections.rebuild_from_stream``)."""
    spec = consumer_spec(ctx.settings.nats_prefix, definition.name, sub)
    js = ctx.nc.jetstream()
    await provision_stream(js, event_stream(ctx.settings.nats_prefix, sub.producer))
    return await rebuild_from_stream(
        ctx.pool, js, schema=definition.name, tables=sub.tables, stream=spec.stream,
        filter_subjects=spec.filter_subjects, handler=(sub.make_rebuilder or sub.make_handler)(ctx),
    )  # fmt: skip


def consumer_runners(definition: ServiceDefinition, ctx: ServiceContext) -> list[ConsumerRunner]:
    """The service's consumers, each with its handler (also used to replay parked messages)."""
    prefix = ctx.settings.nats_prefix
    return [
        ConsumerRunner(
            pool=ctx.pool,
            nc=ctx.nc,
            schema=definition.name,
            spec=consumer_spec(prefix, definition.name, sub),
            handler=sub.make_handler(ctx),
        )
        for sub in definition.subscriptions
    ]


def serve_process(definition: ServiceDefinition, settings: Settings) -> None:
    """Serve ``definition`` in this process until SIGINT or SIGTERM (``smallwins serve <name>``)."""
    run_until_signalled(lambda stop: run_service(definition, settings, stop))


async def run_service(
    definition: ServiceDefinition,
    settings: Settings,
    stop: asyncio.Event,
    started: asyncio.Event | None = None,
) -> None:
    """Serve until ``stop`` is set. Composition root of one service process."""
    database_url, nats_url = settings.servers()
    prefix = settings.nats_prefix
    install(KeyRing(settings.keys_path))  # a missing key file stops the start, saying what to do
    pool = await create_pool(database_url, schema=definition.name)
    nc = await connect(nats_url, name=f"{prefix}-{definition.name}")
    tasks: list[asyncio.Task[None]] = []
    exporter: WSGIServer | None = None
    try:
        async with pool.acquire() as conn:
            await _migrated(conn, definition)
        store = EventStore(definition.name, definition.registry)
        ctx = ServiceContext(settings=settings, pool=pool, nc=nc, store=store)
        js = nc.jetstream()
        runners = consumer_runners(definition, ctx)
        await _provision(js, definition, prefix, runners)
        relay = Relay(dsn=database_url, store=store, nc=nc, prefix=prefix, service=definition.name)
        tasks.append(asyncio.create_task(relay.run(stop), name=f"{definition.name}-relay"))
        tasks += [asyncio.create_task(r.run(stop), name=r.spec.durable) for r in runners]
        tasks += [asyncio.create_task(w(stop), name=f"{definition.name}-worker") for w in definition.workers(ctx)]
        metrics = ServiceMetrics(definition.name, definition.probe)
        tasks.append(asyncio.create_task(metrics.run(stop, pool, js, relay, runners), name="metrics"))
        if settings.metrics_port:
            exporter = metrics.serve(settings.http_host, settings.metrics_port)

        async def health(_req: Empty, _ctx: CallContext) -> HealthView:
            return await _health(definition.name, pool, relay, runners, tasks)

        routes = {**definition.routes(ctx), "health": route(Empty, health)}
        svc = await serve(
            nc, prefix=prefix, service=definition.name, routes=routes, is_blip=is_transient, observe=metrics.observe
        )
        log.info("service started", extra={"svc": definition.name})
        if started is not None:
            started.set()
        await _wait(stop, tasks)
        await svc.stop()
    finally:
        stop.set()
        await _shut_down(tasks, exporter, nc, pool)
        log.info("service stopped", extra={"svc": definition.name})


async def _migrated(conn: asyncpg.Connection, definition: ServiceDefinition) -> None:
    """A service's own role may not change its schema: migrations are the operator's (`smallwins
    migrate`, which `smallwins up` runs). A connection that may (a superuser's) applies them."""
    if not await pending(conn, definition.name, definition.migrations):
        return
    try:
        await migrate(conn, definition.name, definition.migrations)
    except asyncpg.InsufficientPrivilegeError as exc:
        raise RuntimeError(
            f"The {definition.name} schema needs migrations, which its role may not apply: run `smallwins migrate`."
        ) from exc


async def _provision(
    js: JetStreamContext, definition: ServiceDefinition, prefix: str, runners: list[ConsumerRunner]
) -> None:
    """The service's own stream, the streams it consumes, and its consumers, as the code declares them."""
    await provision_stream(js, event_stream(prefix, definition.name))
    for sub in definition.subscriptions:
        await provision_stream(js, event_stream(prefix, sub.producer))
    for runner in runners:  # a consumer whose settings drifted fails the start, loudly
        await provision_consumer(js, runner.spec)


async def _shut_down(
    tasks: list[asyncio.Task[None]], exporter: WSGIServer | None, nc: Client, pool: asyncpg.Pool
) -> None:
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    if exporter is not None:
        exporter.shutdown()
        exporter.server_close()
    with contextlib.suppress(Exception):
        await nc.drain()
    await pool.close()


async def _wait(stop: asyncio.Event, tasks: list[asyncio.Task[None]]) -> None:
    """Wait for ``stop``; if a background task dies, fail the process loudly."""
    stopper = asyncio.create_task(stop.wait())
    done, _ = await asyncio.wait([stopper, *tasks], return_when=asyncio.FIRST_COMPLETED)
    stopper.cancel()
    for task in done:
        if task is not stopper and not stop.is_set():
            exc = task.exception()
            raise RuntimeError(f"background task {task.get_name()} ended") from exc


async def _health(
    name: str,
    pool: asyncpg.Pool,
    relay: Relay,
    runners: list[ConsumerRunner],
    tasks: list[asyncio.Task[None]],
) -> HealthView:
    try:
        postgres = await asyncio.wait_for(pool.fetchval("SELECT true"), 2.0) is True
    except (TimeoutError, OSError, asyncpg.PostgresError):
        postgres = False
    relay_alive = bool(tasks) and not tasks[0].done()
    relay_state = ("leader" if relay.stats.leader else "standby") if relay_alive else "stopped"
    consumers = {r.spec.durable: r.running for r in runners}
    ok = postgres and relay_alive and all(consumers.values())
    return HealthView(service=name, ok=ok, postgres=postgres, relay=relay_state, consumers=consumers)
