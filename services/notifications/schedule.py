"""The jobs table (docs/adr/0031): what is to be done, for whom, and when. E-mails about items
are one job per item (a repeat adds nothing); a member's digest and reminder are one row each,
moved to their next time. An item e-mail the day's limit kept back waits as ``folded`` for the
member's next digest, which then runs whatever the member chose for the digest itself. Written
in the caller's transaction; ``scheduler`` takes them."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

import asyncpg

from services.notifications.domain.timing import next_local
from shared.contracts.notification_prefs import Preferences

_ADD = (
    "INSERT INTO jobs (job_key, job, member_id, item_id, due_at) VALUES ($1, $2, $3, $4, $5)"
    " ON CONFLICT (job_key) DO NOTHING"
)
_PLAN = (
    "INSERT INTO jobs (job_key, job, member_id, due_at, last_run) VALUES ($1, $2, $3, $4, $5)"
    " ON CONFLICT (job_key) DO UPDATE SET due_at = excluded.due_at, done_at = NULL, outcome = NULL"
)
_DROP = "UPDATE jobs SET done_at = $2, outcome = 'not wanted' WHERE job_key = $1 AND done_at IS NULL"
# A digest is due at its hour already, or is stopped (no kind goes to it): then it starts again.
_FOLD = (
    "INSERT INTO jobs (job_key, job, member_id, due_at) VALUES ($1, 'digest', $2, $3)"
    " ON CONFLICT (job_key) DO UPDATE SET due_at = excluded.due_at, done_at = NULL, outcome = NULL"
    " WHERE jobs.done_at IS NOT NULL"
)
_WAITING = "SELECT true FROM jobs WHERE member_id = $1 AND outcome = 'folded' LIMIT 1"
ZONE = "SELECT time_zone FROM zones WHERE member_id = $1"


def daily_key(job: str, member_id: UUID) -> str:
    return f"{job}:{member_id}"


async def zone_of_member(conn: asyncpg.Connection, member_id: UUID) -> str:
    return str(await conn.fetchval(ZONE, member_id) or "")


async def mail_item(conn: asyncpg.Connection, member_id: UUID, item_id: UUID, due: dt.datetime) -> None:
    """An e-mail about an item, due at ``due`` (once per item, however often it is asked)."""
    await conn.execute(_ADD, f"mail:{item_id}", "mail", member_id, item_id, due)


def digest_time(prefs: Preferences) -> str:
    return f"{prefs.digest_hour:02d}:00"


async def folded_waiting(conn: asyncpg.Connection, member_id: UUID) -> bool:
    """Whether item e-mails kept back by the day's limit wait for the member's next digest."""
    return bool(await conn.fetchval(_WAITING, member_id))


async def fold_into_digest(conn: asyncpg.Connection, member_id: UUID, prefs: Preferences, now: dt.datetime) -> None:
    """An item e-mail was kept back by the day's limit: make sure the member's next digest comes."""
    due = next_local(digest_time(prefs), now, await zone_of_member(conn, member_id))
    await conn.execute(_FOLD, daily_key("digest", member_id), member_id, due)


async def plan_daily(conn: asyncpg.Connection, member_id: UUID, prefs: Preferences, now: dt.datetime) -> None:
    """Put the member's digest and reminder at their next local time, or stop them if not wanted
    (the digest goes on while kept-back e-mails wait for it)."""
    zone = await zone_of_member(conn, member_id)
    digest = "digest" in prefs.channels.values() or await folded_waiting(conn, member_id)
    wants = {
        "digest": (digest, digest_time(prefs)),
        "reminder": (prefs.reminder, prefs.reminder_time),
    }
    for job, (wanted, at) in wants.items():
        key = daily_key(job, member_id)
        if wanted:
            await conn.execute(_PLAN, key, job, member_id, next_local(at, now, zone), now)
        else:
            await conn.execute(_DROP, key, now)
