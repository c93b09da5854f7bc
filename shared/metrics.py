"""Prometheus metrics of one service process.

Each process keeps its own registry (several services can share a test process) and, when
``SMALLWINS_METRICS_PORT`` is set, serves it at ``http://<host>:<port>/metrics``. Requests,
errors and latency come from the endpoint wrapper, per verb; the rest is read every few seconds
by a background task: relay lag (events past the relay's checkpoint, and the age of the oldest),
each consumer's pending and unacknowledged messages, parked messages, the pool in use, and how
often the relay and consumers were interrupted (a database or NATS restart).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import Awaitable, Callable, Sequence
from wsgiref.simple_server import WSGIServer

import asyncpg
import msgspec
from nats.js import JetStreamContext
from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    ProcessCollector,
    start_http_server,
)

from shared.consumers import ConsumerRunner

log = logging.getLogger(__name__)

LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
LAG_CAP = 1_000_000  # counting stops here: a lag this large needs a person whatever its size


class Probe(msgspec.Struct, frozen=True, kw_only=True):
    """A service's own figures: gauges it declares (name -> help) and how to read them."""

    gauges: dict[str, str]
    read: Callable[[asyncpg.Connection], Awaitable[dict[str, float]]]


class ServiceMetrics:
    def __init__(self, service: str, probe: Probe | None = None) -> None:
        self.service = service
        self.probe = probe
        self.registry = CollectorRegistry()
        ProcessCollector(registry=self.registry)  # start time (restarts), memory, CPU
        r = self.registry
        self.requests = Counter(
            "smallwins_rpc_requests",
            "Requests answered, by verb and outcome",
            ["service", "verb", "outcome"],
            registry=r,
        )
        self.latency = Histogram("smallwins_rpc_seconds", "Time to answer a request, by verb", ["service", "verb"], buckets=LATENCY_BUCKETS, registry=r)  # fmt: skip
        self.relay_lag_events = Gauge("smallwins_relay_lag_events", "Committed events the relay has not published yet", ["service"], registry=r)  # fmt: skip
        self.relay_lag_seconds = Gauge("smallwins_relay_lag_seconds", "Age of the oldest event not published yet", ["service"], registry=r)  # fmt: skip
        self.relay_leader = Gauge("smallwins_relay_leader", "1 when this copy's relay is the leader", ["service"], registry=r)  # fmt: skip
        self.interruptions = Gauge("smallwins_interruptions", "Times the relay or a consumer lost its connection and came back", ["service", "part"], registry=r)  # fmt: skip
        self.consumer_pending = Gauge("smallwins_consumer_pending", "Messages not yet delivered to the consumer", ["service", "consumer"], registry=r)  # fmt: skip
        self.consumer_unacked = Gauge("smallwins_consumer_ack_pending", "Messages delivered but not yet acknowledged", ["service", "consumer"], registry=r)  # fmt: skip
        self.consumer_running = Gauge("smallwins_consumer_running", "1 while the consumer is subscribed", ["service", "consumer"], registry=r)  # fmt: skip
        self.retried = Gauge("smallwins_consumer_retried", "Messages put back after a transient failure (since start)", ["service", "consumer"], registry=r)  # fmt: skip
        self.parked = Gauge("smallwins_parked_messages", "Parked messages, by consumer", ["service", "consumer"], registry=r)  # fmt: skip
        self.pool_in_use = Gauge("smallwins_pool_connections_in_use", "Database connections in use", ["service"], registry=r)  # fmt: skip
        self.pool_size = Gauge("smallwins_pool_connections", "Database connections open", ["service"], registry=r)  # fmt: skip
        self._series: dict[tuple[str, str], tuple[Counter, Histogram]] = {}
        self.own = {
            name: Gauge(f"smallwins_{name}", help_text, ["service"], registry=r)
            for name, help_text in (probe.gauges if probe else {}).items()
        }

    def observe(self, verb: str, seconds: float, outcome: str) -> None:
        """One answered request; the labelled series are looked up once per verb and outcome."""
        series = self._series.get((verb, outcome))
        if series is None:
            series = (self.requests.labels(self.service, verb, outcome), self.latency.labels(self.service, verb))
            self._series[(verb, outcome)] = series
        series[0].inc()
        series[1].observe(seconds)

    def serve(self, host: str, port: int) -> WSGIServer | None:
        """Serve /metrics over HTTP; a port in use is logged, not fatal."""
        try:
            server, _thread = start_http_server(port, addr=host, registry=self.registry)
        except OSError as exc:
            log.warning("metrics not served: port %s: %s", port, exc, extra={"svc": self.service})
            return None
        return server

    async def refresh(
        self,
        pool: asyncpg.Pool,
        js: JetStreamContext,
        relay: object,
        runners: Sequence[ConsumerRunner],
    ) -> None:
        s = self.service
        self.pool_size.labels(s).set(pool.get_size())
        self.pool_in_use.labels(s).set(pool.get_size() - pool.get_idle_size())
        stats = getattr(relay, "stats", None)
        self.relay_leader.labels(s).set(1 if stats is not None and stats.leader else 0)
        self.interruptions.labels(s, "relay").set(getattr(relay, "interruptions", 0))
        async with pool.acquire() as conn:
            lag, oldest = await conn.fetchrow(
                f"SELECT count(*), min(recorded_at) FROM (SELECT recorded_at FROM {s}.events e"
                f" WHERE (e.transaction_id, e.global_position) > (SELECT coalesce(max(c.transaction_id), '0'::xid8),"
                f" coalesce(max(c.global_position), 0) FROM {s}.checkpoints c WHERE c.name = 'relay')"
                f" ORDER BY e.transaction_id, e.global_position LIMIT {LAG_CAP}) lagging"
            )
            parked = dict(await conn.fetch(f"SELECT consumer, count(*) FROM {s}.parked_messages GROUP BY consumer"))
            own = await self.probe.read(conn) if self.probe else {}
        for name, value in own.items():
            self.own[name].labels(s).set(value)
        self.relay_lag_events.labels(s).set(lag)
        age = (dt.datetime.now(dt.UTC) - oldest).total_seconds() if oldest is not None else 0.0
        self.relay_lag_seconds.labels(s).set(max(age, 0.0))
        for runner in runners:
            name = runner.spec.durable
            self.parked.labels(s, name).set(parked.get(name, 0))
            self.consumer_running.labels(s, name).set(1 if runner.running else 0)
            self.interruptions.labels(s, name).set(runner.interruptions)
            self.retried.labels(s, name).set(runner.retried)
            with contextlib.suppress(Exception):  # NATS away: the last figures stand
                info = await js.consumer_info(runner.spec.stream, name)
                self.consumer_pending.labels(s, name).set(info.num_pending or 0)
                self.consumer_unacked.labels(s, name).set(info.num_ack_pending or 0)

    async def run(
        self,
        stop: asyncio.Event,
        pool: asyncpg.Pool,
        js: JetStreamContext,
        relay: object,
        runners: Sequence[ConsumerRunner],
        interval: float = 2.0,
    ) -> None:
        while not stop.is_set():
            try:
                await self.refresh(pool, js, relay, runners)
            except Exception as exc:  # noqa: BLE001 - process edge: a failed refresh keeps the last figures
                log.debug("metrics not refreshed: %r", exc)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), interval)
