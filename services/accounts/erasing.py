"""The erasure job and what erasing takes away in accounts (docs/adr/0034-erasure.md).

Every copy of the service runs the job; the database decides who erases whom. A due erasure is
taken with ``FOR UPDATE SKIP LOCKED`` and done in the transaction that holds it (another copy
passes over it; a copy that dies lets it go when its connection closes), as the notifications
scheduler takes its jobs. The erasures table survives restarts, and the clock is passed in.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING
from uuid import UUID

import asyncpg

from services.accounts.commands import Erase
from shared.bus.rpc import CallContext
from shared.due import DueWork, lease
from shared.eventstore.store import unit_of_work, utcnow
from shared.logging import new_correlation_id

if TYPE_CHECKING:  # the handlers use this module too
    from services.accounts.erasure import ErasureHandlers

log = logging.getLogger(__name__)
SCHEMA = "accounts"
_TAKE = (
    f"SELECT member_id, requested_by FROM {SCHEMA}.erasures"
    " WHERE erased_at IS NULL AND cancelled_at IS NULL AND due_at <= $1"
    " ORDER BY due_at, member_id LIMIT 1 FOR UPDATE SKIP LOCKED"
)
# Everything accounts keeps of a member outside its log and its projections (the members row goes
# with the erasure's event, the data key and retried replies with ``forget``).
_PURGE = (
    f"DELETE FROM {SCHEMA}.credentials WHERE member_id = $1",
    f"DELETE FROM {SCHEMA}.sessions WHERE member_id = $1",
    f"DELETE FROM {SCHEMA}.pseudonym_skeletons WHERE member_id = $1",
    f"DELETE FROM {SCHEMA}.mail_links WHERE member_id = $1",
    f"DELETE FROM {SCHEMA}.mail_outbox WHERE member_id = $1",
)


async def purge(conn: asyncpg.Connection, member_id: UUID, email_index: str) -> None:
    """Delete the member's password, sessions, look-alike skeleton, links, mail and throttle rows."""
    for statement in _PURGE:
        await conn.execute(statement, member_id)
    keys = [f"member:{member_id}", *([f"email:{email_index}"] if email_index else [])]
    await conn.execute(f"DELETE FROM {SCHEMA}.sign_in_failures WHERE key = ANY($1)", keys)


async def hold_mail(conn: asyncpg.Connection, member_id: UUID, now: dt.datetime) -> None:
    """Mail not sent yet to a member who asked to be erased is dropped (and its sealed copy)."""
    await conn.execute(
        f"UPDATE {SCHEMA}.mail_outbox SET dropped_at = $2, sealed = NULL, last_error = 'erasure requested'"
        " WHERE member_id = $1 AND sent_at IS NULL AND dropped_at IS NULL",
        member_id, now,
    )  # fmt: skip


class ErasureJob(DueWork):
    """Erases members whose erasure is due, once, however many copies of accounts run."""

    name = "erasure job"

    def __init__(
        self, pool: asyncpg.Pool, handlers: ErasureHandlers, clock: Callable[[], dt.datetime] = utcnow
    ) -> None:
        self._pool, self._handlers, self._clock = pool, handlers, clock

    async def run_one(self) -> bool:
        """Take one due erasure and do it; False when none is due (or every due one is taken)."""
        now = self._clock()
        async with unit_of_work(self._pool) as conn:
            await lease(conn)
            row = await conn.fetchrow(_TAKE, now)
            if row is None:
                return False
            member_id = row["member_id"]
            ctx = CallContext(correlation_id=new_correlation_id())
            await self._handlers.erase_in(conn, member_id, Erase(now=now), ctx, actor=row["requested_by"] or member_id)
        log.info("member erased", extra={"member_id": str(member_id)})
        return True
