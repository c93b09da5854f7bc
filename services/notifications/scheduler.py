"""The notifications scheduler (docs/adr/0031): every copy of the service runs one; the database
decides who does what. A due job is taken with ``FOR UPDATE SKIP LOCKED`` and done in the
transaction that holds it (another copy passes over it; a copy that dies lets it go when its
connection closes), exactly as the kernel's mail sender takes its rows. No leader, no timers in
memory: the jobs table survives restarts, and the clock is passed in."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Awaitable, Callable

import asyncpg

from services.notifications import digest, jobs
from shared.due import DueWork, lease
from shared.eventstore.store import utcnow

log = logging.getLogger(__name__)
# In the order of the jobs_due index (due_at, job_key), so that a take reads the first entries
# only however many jobs are due at once (an e-mail is due ``delay`` later than its row says).
_TAKE = (
    "SELECT job_key, job, member_id, item_id, due_at, last_run FROM jobs"
    " WHERE done_at IS NULL AND due_at <= $1 AND (job <> 'mail' OR due_at <= $2)"
    " ORDER BY due_at, job_key LIMIT 1 FOR UPDATE SKIP LOCKED"
)
Job = Callable[[asyncpg.Connection, asyncpg.Record, dt.datetime, jobs.Mailer], Awaitable[None]]
JOBS: dict[str, Job] = {"mail": jobs.item_mail, "digest": digest.digest, "reminder": jobs.reminder}


class Scheduler(DueWork):
    name = "scheduler"

    def __init__(self, pool: asyncpg.Pool, mailer: jobs.Mailer, clock: Callable[[], dt.datetime] = utcnow) -> None:
        self._pool, self._mailer, self._clock = pool, mailer, clock

    async def run_one(self) -> bool:
        """Take one due job and do it; False when nothing is due (or every due job is taken).
        An e-mail about an item is due once the delay has passed since the item was noted."""
        now = self._clock()
        async with self._pool.acquire() as conn, conn.transaction():
            await lease(conn)
            job = await conn.fetchrow(_TAKE, now, now - self._mailer.delay)
            if job is None:
                return False
            await JOBS[job["job"]](conn, job, now, self._mailer)
        return True
