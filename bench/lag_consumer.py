"""The consuming side of the lag benchmark, as its own process: a durable JetStream consumer
that applies each event to a read model and notes the wall-clock time after its commit."""

from __future__ import annotations

import asyncio
import signal
import sys
from pathlib import Path

import asyncpg
import nats

from shared.bus.streams import ConsumerSpec, event_stream
from shared.consumers import ConsumerRunner
from shared.db import migrate
from shared.messages import RecordedEvent

SCHEMA = "benchc"


async def _effect(conn: asyncpg.Connection, event: RecordedEvent) -> None:
    """The read model, plus when the event reached it (the commit follows in the same transaction)."""
    await conn.execute(
        f"INSERT INTO {SCHEMA}.counts AS c VALUES ($1, 1) ON CONFLICT (stream_id) DO UPDATE SET n = c.n + 1",
        event.stream_id,
    )
    await conn.execute(f"INSERT INTO {SCHEMA}.seen VALUES ($1, extract(epoch FROM clock_timestamp()))", event.event_id)


async def main(database_url: str, nats_url: str, prefix: str) -> None:
    conn = await asyncpg.connect(database_url)
    await migrate(conn, SCHEMA, Path(__file__).parent / "no_migrations")
    await conn.execute(f"CREATE TABLE IF NOT EXISTS {SCHEMA}.counts (stream_id text PRIMARY KEY, n bigint NOT NULL)")
    await conn.execute(
        f"CREATE TABLE IF NOT EXISTS {SCHEMA}.seen (event_id uuid PRIMARY KEY, applied_at double precision)"
    )
    await conn.close()
    pool = await asyncpg.create_pool(database_url, min_size=2, max_size=4)
    nc = await nats.connect(nats_url)
    spec = ConsumerSpec(
        stream=event_stream(prefix, "bench").name,
        durable=f"{prefix}_benchc-lag",
        filter_subjects=(f"{prefix}.bench.events.>",),
    )
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    runner = ConsumerRunner(pool=pool, nc=nc, schema=SCHEMA, spec=spec, handler=_effect, batch_size=50)
    print("ready", flush=True)
    await runner.run(stop)
    await nc.close()
    await pool.close()


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:4]))
