"""Prometheus metrics: a service's relay lag, requests per verb; web's requests by route."""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import httpx
import pytest
from litestar.testing import AsyncTestClient
from prometheus_client.parser import text_string_to_metric_families

from services.stories.main import SERVICE as STORIES
from shared.bus.connection import connect
from shared.bus.rpc import ServiceClient
from shared.contracts.common import Empty, HealthView
from shared.db import advisory_key
from shared.eventstore.store import ANY, EventStore
from shared.metrics import ServiceMetrics
from shared.runtime import free_port
from shared.service import ServiceDefinition, run_service
from shared.settings import Settings
from shared.testing.plugin import eventually
from tests.support.scratch import EMPTY, SCHEMA, scratch_store, ticks
from web.app import create_app

pytestmark = pytest.mark.integration


def _samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample by (name, sorted labels); parsing fails loudly on anything malformed."""
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


@contextlib.asynccontextmanager
async def _scratch_service(settings: Settings, store: EventStore) -> AsyncIterator[None]:
    definition = ServiceDefinition(name=SCHEMA, migrations=EMPTY, registry=store.registry)
    stop, started = asyncio.Event(), asyncio.Event()
    serving = asyncio.create_task(run_service(definition, settings, stop, started))
    await asyncio.wait_for(started.wait(), 30)
    try:
        yield
    finally:
        stop.set()
        await serving


async def test_relay_lag_rises_while_the_relay_is_held_and_returns_to_zero(settings: Settings) -> None:
    url = settings.database_url or ""
    store = await scratch_store(url)
    port = free_port()
    holder = await asyncpg.connect(url)  # holds the relay's leader lock: the service's relay stands by
    assert await holder.fetchval("SELECT pg_try_advisory_lock($1)", advisory_key(f"relay:{SCHEMA}"))
    scrape = f"http://127.0.0.1:{port}/metrics"
    lag = ("smallwins_relay_lag_events", (("service", SCHEMA),))
    leader = ("smallwins_relay_leader", (("service", SCHEMA),))
    async with _scratch_service(settings.with_(metrics_port=port), store), httpx.AsyncClient() as http:
        async with holder.transaction():
            await store.append(holder, "tick-m", ticks(1, 2, 3, 4, 5), expected=ANY)

        async def lagging() -> bool:
            samples = _samples((await http.get(scrape)).text)
            return samples[lag] == 5 and samples[leader] == 0

        await eventually(lagging, timeout=15)
        samples = _samples((await http.get(scrape)).text)
        assert samples[("smallwins_relay_lag_seconds", (("service", SCHEMA),))] >= 0
        assert ("smallwins_pool_connections_in_use", (("service", SCHEMA),)) in samples
        assert any(name == "process_start_time_seconds" for name, _ in samples)

        await holder.close()  # the relay takes the lead and catches up

        async def caught_up() -> bool:
            samples = _samples((await http.get(scrape)).text)
            return samples[lag] == 0 and samples[leader] == 1

        await eventually(caught_up, timeout=15)

        nc = await connect(settings.nats_url or "", name="metrics-test")
        try:
            health = await ServiceClient(nc, settings.nats_prefix).call(SCHEMA, "health", Empty(), HealthView)
            assert health.ok
        finally:
            await nc.close()
        samples = _samples((await http.get(scrape)).text)
        ok = ("smallwins_rpc_requests_total", (("outcome", "ok"), ("service", SCHEMA), ("verb", "health")))
        assert samples[ok] >= 1
        count = ("smallwins_rpc_seconds_count", (("service", SCHEMA), ("verb", "health")))
        assert samples[count] == samples[ok]


TOKEN = "a-metrics-token-for-the-test"
SCRAPER = {"Authorization": f"Bearer {TOKEN}"}


async def test_web_metrics_count_requests_by_route_and_status(settings: Settings) -> None:
    async with AsyncTestClient(app=create_app(settings.with_(metrics_token=TOKEN))) as client:
        for _ in range(3):
            assert (await client.get("/help")).status_code == 200
        assert (await client.get("/no/such/page")).status_code == 404
        reply = await client.get("/metrics", headers=SCRAPER)
        assert reply.status_code == 200 and reply.headers["content-type"].startswith("text/plain")
        samples = _samples(reply.text)
    helped = [
        v
        for (name, labels), v in samples.items()
        if name == "smallwins_web_requests_total" and ("path", "/help") in labels and ("status_code", "200") in labels
    ]
    assert helped and helped[0] >= 3
    assert any(name == "smallwins_web_request_duration_seconds_bucket" for name, _ in samples)
    assert not any(("path", "/metrics") in labels for _, labels in samples), "the scrape itself is not counted"


async def test_web_metrics_on_the_public_port_need_the_token(settings: Settings) -> None:
    async with AsyncTestClient(app=create_app(settings)) as client:
        assert (await client.get("/metrics", headers=SCRAPER)).status_code == 404  # no token set: not served
    async with AsyncTestClient(app=create_app(settings.with_(metrics_token=TOKEN))) as client:
        for headers in (
            {},
            {"Authorization": "Bearer wrong"},
            {"Authorization": TOKEN},
            {"Authorization": f"Basic {TOKEN}"},
        ):
            refused = await client.get("/metrics", headers=headers)
            assert refused.status_code == 401 and refused.headers["www-authenticate"] == "Bearer"
            assert "smallwins_web" not in refused.text
        served = await client.get("/metrics", headers=SCRAPER)
        assert served.status_code == 200 and "smallwins_web_requests_total" in served.text


DASHBOARD = Path(__file__).resolve().parents[3] / "infra" / "grafana" / "dashboards" / "smallwins.json"


def _dashboard_metrics(prefix: str) -> set[str]:
    exprs = [t["expr"] for p in json.loads(DASHBOARD.read_text())["panels"] for t in p["targets"]]
    return {name for e in exprs for name in re.findall(r"\b(smallwins_\w+|process_\w+)", e) if name.startswith(prefix)}


async def test_the_dashboard_asks_only_for_metrics_that_exist(settings: Settings) -> None:
    families = {m.name for m in ServiceMetrics("stories", STORIES.probe).registry.collect()}
    service = {f + suffix for f in families for suffix in ("", "_total", "_bucket", "_count", "_sum")}
    assert _dashboard_metrics("smallwins_rpc") and _dashboard_metrics("smallwins_relay")
    assert _dashboard_metrics("smallwins_moderation_queue")
    assert _dashboard_metrics("smallwins_") - _dashboard_metrics("smallwins_web") <= service
    assert _dashboard_metrics("process_") <= service
    async with AsyncTestClient(app=create_app(settings.with_(metrics_token=TOKEN))) as client:
        await client.get("/help")
        web = {name for name, _ in _samples((await client.get("/metrics", headers=SCRAPER)).text)}
    assert _dashboard_metrics("smallwins_web")
    assert _dashboard_metrics("smallwins_web") <= web
