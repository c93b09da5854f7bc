"""Where an append's time goes, at 8 writers: `python -m bench breakdown` (not part of the
default run). For the raw INSERT, the append without its read model, the append on connections
of its own (no pool) and the whole append path:
events/s, WAL written per transaction, and CPU per transaction in PostgreSQL and in the writing
process, each the median of alternating rounds."""

from __future__ import annotations

import statistics
import time
from collections.abc import Awaitable, Callable

import asyncpg
import psutil

from bench.appends import _setup, append_rate, raw_rate
from bench.report import Figure

WRITERS, PER_WRITER, ROUNDS = 8, 500, 5


def _postgres_cpu(port: int) -> float:
    """CPU seconds of the PostgreSQL server on ``port`` and every backend it has had."""
    for proc in psutil.process_iter(["name", "cmdline"]):
        if proc.info["name"] == "postgres" and str(port) in (proc.info["cmdline"] or []):
            t = proc.cpu_times()
            live = sum(sum(c.cpu_times()[:2]) for c in proc.children())
            return float(t.user + t.system + t.children_user + t.children_system + live)
    raise RuntimeError(f"no PostgreSQL server on port {port}")


async def _measure(
    database_url: str, run: Callable[[], Awaitable[float]], port: int
) -> tuple[float, float, float, float]:
    """(events/s, WAL bytes, PostgreSQL CPU us, client CPU us) per transaction."""
    conn = await asyncpg.connect(database_url)
    try:
        me = psutil.Process()
        wal0, pg0, me0 = await conn.fetchval("SELECT wal_bytes FROM pg_stat_wal"), _postgres_cpu(port), me.cpu_times()
        rate = await run()
        wal1, pg1, me1 = await conn.fetchval("SELECT wal_bytes FROM pg_stat_wal"), _postgres_cpu(port), me.cpu_times()
    finally:
        await conn.close()
    n = WRITERS * PER_WRITER
    client = (me1.user + me1.system - me0.user - me0.system) / n * 1e6
    return rate, float(wal1 - wal0) / n, (pg1 - pg0) / n * 1e6, client


async def breakdown_figures(database_url: str) -> list[Figure]:
    await _setup(database_url)
    port = int(database_url.rsplit(":", 1)[1].split("/", 1)[0])

    async def raw() -> float:
        return await raw_rate(database_url, WRITERS, PER_WRITER)

    async def bare() -> float:
        return (await append_rate(database_url, WRITERS, PER_WRITER, read_model=False))[0]

    async def unpooled() -> float:
        return (await append_rate(database_url, WRITERS, PER_WRITER, pooled=False))[0]

    async def whole() -> float:
        return (await append_rate(database_url, WRITERS, PER_WRITER))[0]

    variants = {
        "raw_insert": raw,
        "append_without_read_model": bare,
        "append_own_connections": unpooled,
        "append": whole,
    }
    samples: dict[str, list[tuple[float, float, float, float]]] = {name: [] for name in variants}
    started = time.perf_counter()
    for _ in range(ROUNDS):
        for name, run in variants.items():
            samples[name].append(await _measure(database_url, run, port))
    figures = []
    base = statistics.median(s[0] for s in samples["raw_insert"])
    for name, runs in samples.items():
        rate, wal, pg, client = (statistics.median(column) for column in zip(*runs, strict=True))
        figures += [
            Figure(
                name=f"{name}_8_writers",
                value=rate,
                unit="events/s",
                baseline=None if name == "raw_insert" else "raw_insert_8_writers",
                baseline_value=None if name == "raw_insert" else base,
            ),
            Figure(name=f"{name}_wal_bytes_per_tx", value=wal, unit="bytes"),
            Figure(name=f"{name}_postgres_cpu_us_per_tx", value=pg, unit="us"),
            Figure(name=f"{name}_client_cpu_us_per_tx", value=client, unit="us"),
        ]
    figures.append(Figure(name="breakdown_seconds", value=time.perf_counter() - started, unit="s"))
    return figures
