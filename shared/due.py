"""Work that falls due, taken by whichever copy of a service gets there first.

The database decides who takes what (``SELECT … FOR UPDATE SKIP LOCKED`` in ``take_one``'s
transaction, which holds the row until it commits): no leader election, nothing done twice, and a
copy that dies mid-way leaves the row to the next one once its transaction is gone (the lease:
``idle_in_transaction_session_timeout``). Time comes from a clock the tests control."""

from __future__ import annotations

import abc
import asyncio
import contextlib
import logging

import asyncpg

log = logging.getLogger(__name__)

LEASE_MS = 60_000
"""How long a taken row may stay idle in its transaction before PostgreSQL lets it go."""
POLL_S = 5.0
"""How often a copy looks for due work when there was none."""


class DueWork(abc.ABC):
    """A loop that does every due piece of work, one per transaction, then waits a little."""

    name = "due work"
    poll_s = POLL_S  # how long to wait once nothing is due

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                await self.run_due()
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
                log.warning("%s interrupted: %r", self.name, exc)
            except Exception:
                log.exception("%s failed; it is tried again", self.name)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self.poll_s)

    async def run_due(self) -> int:
        done = 0
        while await self.run_one():
            done += 1
        return done

    @abc.abstractmethod
    async def run_one(self) -> bool:
        """Take one due piece of work and do it; False when none is due (or every due one is taken)."""


async def lease(conn: asyncpg.Connection) -> None:
    """Bound how long this transaction may hold what it took while idle."""
    await conn.execute(f"SET LOCAL idle_in_transaction_session_timeout = {LEASE_MS}")
