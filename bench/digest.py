"""The daily digest for 100,000 members: the notifications service's own job, run by its own
scheduler, on a database of its own (bench/digest_seed.py writes the members in with COPY:
every one has a digest job due now, 30 % have three unread items of their digest kinds).

``SCHEDULERS`` schedulers take the due jobs as that many copies of the service would (one row at
a time, ``FOR UPDATE SKIP LOCKED``, each in its own transaction), over one pool in this process.
Each job reads the member's preferences, zone and new unread items; for a member with something
new it asks accounts for the address over NATS (a small responder on the same NATS server stands
in for the accounts service: it answers at once), renders the mail, seals it with the member's key
and writes the outbox row, which is the job's output. The figures: the wall time, members
considered per second and digests written per second; every written row is counted.

Baselines from the same run, on the same servers: the same job over 10,000 members (does the
rate hold at ten times the members?), and the plain read underneath it (the ``unread`` verb's
query once per member, over 4 connections) for the 100,000.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
import uuid

import nats

from bench.digest_seed import Seeded, seed
from bench.growth import _database
from bench.pages import _migrate
from bench.report import Figure
from services.notifications.inbox import UNREAD
from services.notifications.jobs import Mailer
from services.notifications.scheduler import Scheduler
from shared.bus.rpc import CallContext, ServiceClient, route, serve
from shared.contracts.accounts import MailAddressRequest, MailAddressView
from shared.db import create_pool
from shared.mail import Outbox

MEMBERS, BASELINE_MEMBERS, SCHEDULERS, CONNECTIONS = 100_000, 10_000, 4, 4
PREFIX = "digestbench"


class Run:
    """One digest run: how long, how many members considered, how many digests written."""

    def __init__(self, seconds: float, considered: int, written: int) -> None:
        self.seconds, self.considered, self.written = seconds, considered, written


async def _address(req: MailAddressRequest, _ctx: CallContext) -> MailAddressView:
    return MailAddressView(member_id=req.member_id, email=f"{req.member_id.hex[:12]}@bench.invalid")


async def _digests(url: str, nats_url: str, seeded: Seeded, now: dt.datetime) -> Run:
    pool = await create_pool(url, schema="notifications", min_size=SCHEDULERS, max_size=SCHEDULERS + 1)
    nc = await nats.connect(nats_url, name="digest-bench")
    accounts = await serve(
        nc, prefix=PREFIX, service="accounts", routes={"mail_address": route(MailAddressRequest, _address)}
    )
    mailer = Mailer(
        outbox=Outbox("notifications", "Small Wins <bench@small-wins.invalid>"), accounts=ServiceClient(nc, PREFIX),
        base_url="https://small-wins.invalid", secret="benchmark-secret", delay=dt.timedelta(minutes=5), per_day=5,
    )  # fmt: skip
    try:
        schedulers = [Scheduler(pool, mailer, lambda: now) for _ in range(SCHEDULERS)]
        began = time.perf_counter()
        taken = await asyncio.gather(*(s.run_due() for s in schedulers))
        seconds = time.perf_counter() - began
        written = await pool.fetchval("SELECT count(*) FROM mail_outbox WHERE kind = 'digest'")
        moved = await pool.fetchval("SELECT count(*) FROM jobs WHERE job = 'digest' AND last_run = $1", now)
    finally:
        await accounts.stop()
        await nc.close()
        await pool.close()
    if sum(taken) != seeded.members or moved != seeded.members or written != seeded.with_unread:
        raise RuntimeError(f"digest: {sum(taken)} jobs, {moved} moved, {written} written for {seeded}")
    return Run(seconds, sum(taken), written)


async def _unread_per_member(url: str) -> float:
    """The ``unread`` verb's query once per member, over ``CONNECTIONS`` connections."""
    pool = await create_pool(url, schema="notifications", min_size=CONNECTIONS, max_size=CONNECTIONS)
    members: list[uuid.UUID] = [r[0] for r in await pool.fetch("SELECT member_id FROM people")]

    async def worker(w: int) -> None:
        async with pool.acquire() as conn:
            for m in members[w::CONNECTIONS]:
                await conn.fetchval(UNREAD, m)

    try:
        began = time.perf_counter()
        await asyncio.gather(*(worker(w) for w in range(CONNECTIONS)))
        return time.perf_counter() - began
    finally:
        await pool.close()


async def _prepared(admin_url: str, name: str, members: int, now: dt.datetime) -> tuple[str, Seeded]:
    url = await _database(admin_url, name)
    await _migrate(url)
    return url, await seed(url, members, now)


async def digest_figures(admin_url: str, nats_url: str) -> list[Figure]:
    now = dt.datetime.now(dt.UTC).replace(hour=18, minute=1, second=0, microsecond=0)  # the digest hour, UTC
    small_url, small = await _prepared(admin_url, "digest_bench_small", BASELINE_MEMBERS, now)
    base = await _digests(small_url, nats_url, small, now)
    url, seeded = await _prepared(admin_url, "digest_bench", MEMBERS, now)
    plain = await _unread_per_member(url)
    run = await _digests(url, nats_url, seeded, now)
    small_label = f"{BASELINE_MEMBERS:,} members"
    return [
        Figure(name="digest_job_s", value=run.seconds, unit="s", baseline="digest_unread_per_member_s",
               baseline_value=plain),
        Figure(name="digest_members_per_s", value=run.considered / run.seconds, unit="rows/s", baseline=small_label,
               baseline_value=base.considered / base.seconds),
        Figure(name="digest_written_per_s", value=run.written / run.seconds, unit="rows/s", baseline=small_label,
               baseline_value=base.written / base.seconds),
        Figure(name="digest_written", value=run.written, unit="rows", baseline=small_label, baseline_value=base.written),
        Figure(name="digest_job_10k_s", value=base.seconds, unit="s"),
    ]  # fmt: skip
