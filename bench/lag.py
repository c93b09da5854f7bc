"""Commit -> relay -> JetStream -> another service's read model, at a steady 200 and 1,000 events/s.

The producing side (writers and the relay) runs in this process; the consumer in its own.
Lag is the wall-clock time from the writer's commit to the consumer's commit.
"""

from __future__ import annotations

import asyncio
import statistics
import subprocess
import sys
import time
import uuid

import asyncpg
import nats

from bench.appends import SCHEMA, Counted
from bench.appends import _setup as setup
from bench.report import Figure
from shared.bus.streams import event_stream, provision_stream
from shared.eventstore.store import ANY, EventStore, unit_of_work
from shared.messages import EventRegistry, NewEvent
from shared.relay import Relay

PREFIX = "lagbench"
SECONDS = 10


async def _produce(database_url: str, store: EventStore, rate: int, committed: dict[uuid.UUID, float]) -> None:
    writers = max(1, rate // 200)
    pool = await asyncpg.create_pool(database_url, min_size=writers, max_size=writers)
    total = rate * SECONDS
    began = time.perf_counter()

    async def writer(w: int) -> None:
        for k in range(w, total, writers):
            delay = began + k / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            event = NewEvent(event_id=uuid.uuid4(), event=Counted(n=k))
            async with unit_of_work(pool) as conn:  # as a handler appends: the relay hears of the commit
                await store.append(conn, f"lag-{k % 20}", [event], expected=ANY)
            committed[event.event_id] = time.time()

    await asyncio.gather(*(writer(w) for w in range(writers)))
    await pool.close()


async def _lags(database_url: str, committed: dict[uuid.UUID, float]) -> list[float]:
    conn = await asyncpg.connect(database_url)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            rows = await conn.fetch(
                "SELECT event_id, applied_at FROM benchc.seen WHERE event_id = ANY($1)", list(committed)
            )
            if len(rows) == len(committed):
                return [(r["applied_at"] - committed[r["event_id"]]) * 1000 for r in rows]
            await asyncio.sleep(0.2)
        raise RuntimeError(f"only {len(rows)} of {len(committed)} events reached the consumer")
    finally:
        await conn.close()


async def lag_figures(database_url: str, nats_url: str) -> list[Figure]:
    await setup(database_url)
    store = EventStore(SCHEMA, EventRegistry([Counted]))
    nc = await nats.connect(nats_url)
    await provision_stream(nc.jetstream(), event_stream(PREFIX, "bench"))
    consumer = subprocess.Popen(
        [sys.executable, "-m", "bench.lag_consumer", database_url, nats_url, PREFIX], stdout=subprocess.PIPE, text=True
    )
    assert consumer.stdout is not None and consumer.stdout.readline().strip() == "ready"
    stop = asyncio.Event()
    relay = Relay(dsn=database_url, store=store, nc=nc, prefix=PREFIX, service="bench")
    relaying = asyncio.create_task(relay.run(stop))
    figures = []
    try:
        # the relay first catches up with what earlier benchmarks left in the log
        backlog = await asyncpg.connect(database_url)
        last = await backlog.fetchval(f"SELECT max(global_position) FROM {SCHEMA}.events")
        await backlog.close()
        while relay.stats.position.global_position < (last or 0):
            await asyncio.sleep(0.5)
        # ... and the consumer with what the relay published, so that only steady traffic is measured
        js = nc.jetstream()
        durable, stream = f"{PREFIX}_benchc-lag", event_stream(PREFIX, "bench").name
        while True:
            info = await js.consumer_info(stream, durable)
            if info.num_pending == 0 and info.num_ack_pending == 0:
                break
            await asyncio.sleep(0.5)
        for rate in (200, 1000):
            committed: dict[uuid.UUID, float] = {}
            await _produce(database_url, store, rate, committed)
            lags = sorted(await _lags(database_url, committed))
            q = statistics.quantiles(lags, n=100)
            if rate == 200:
                figures.append(Figure(name="e2e_lag_p50_ms_200", value=q[49], unit="ms"))
            figures.append(Figure(name=f"e2e_lag_p99_ms_{rate}", value=q[98], unit="ms"))
    finally:
        stop.set()
        await relaying
        consumer.terminate()
        consumer.wait(10)
        await nc.close()
    return figures
