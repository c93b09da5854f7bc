"""The daily digest job (docs/adr/0031), in the transaction that holds it: at the member's hour,
one e-mail with what is new and unread of the kinds they get in the digest, and every item e-mail
the day's limit kept back (``folded``) that is still unread. Nothing new and unread, no mail; an
item read in the app is never mailed. The job then moves to tomorrow, or stops when no kind goes
to the digest (an item kept back later starts it again, ``schedule.fold_into_digest``)."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

import asyncpg

from services.notifications.domain import preferences as prefs_domain
from services.notifications.domain import timing
from services.notifications.jobs import Mailer, member_prefs
from services.notifications.schedule import digest_time
from shared.contracts.notification_prefs import DIGEST, Preferences

SHOWN = 20  # items a digest lists; it says when more are waiting in the app
_NEW = (
    "SELECT notification_id, kind, title, updated_at FROM inbox WHERE member_id = $1 AND read_at IS NULL"
    " AND updated_at > $2 AND kind = ANY($3) ORDER BY updated_at DESC LIMIT $4"
)
_FOLDED = (
    "SELECT j.job_key, i.notification_id, i.kind, i.title, i.updated_at, i.read_at IS NULL AS unread"
    " FROM jobs j LEFT JOIN inbox i ON i.notification_id = j.item_id"
    " WHERE j.member_id = $1 AND j.outcome = 'folded'"
)
_FOLDED_DONE = "UPDATE jobs SET outcome = $2 WHERE job_key = ANY($1)"
_MOVE = "UPDATE jobs SET due_at = $2, last_run = $3 WHERE job_key = $1"
_STOP = "UPDATE jobs SET done_at = $2, last_run = $2, outcome = 'not wanted' WHERE job_key = $1"


def digest_kinds(prefs: Preferences) -> list[str]:
    """The inbox kinds the member hears of in the digest."""
    return [kind for kind in prefs_domain.KIND_OF if prefs_domain.channel_for(prefs, kind) == "digest"]


async def digest(conn: asyncpg.Connection, job: asyncpg.Record, now: dt.datetime, mailer: Mailer) -> None:
    member, key = job["member_id"], job["job_key"]
    prefs, zone = await member_prefs(conn, member)
    if timing.quiet_at(prefs, now, zone):
        await conn.execute(_MOVE, key, timing.after_quiet(prefs, now, zone), job["last_run"])
        return
    kinds = digest_kinds(prefs)
    since = job["last_run"] or now - dt.timedelta(days=1)
    new = await conn.fetch(_NEW, member, since, kinds, SHOWN + 1) if kinds else []
    folded = await conn.fetch(_FOLDED, member)
    waiting = [r for r in folded if r["unread"]]
    items = {r["notification_id"]: r for r in [*new, *waiting]}
    sent = bool(items) and await _send(conn, member, now, mailer, list(items.values()), bool(new), waiting)
    if folded:
        await _folded_done(conn, folded, "in digest" if sent else "no address")
    if kinds:
        await conn.execute(_MOVE, key, timing.next_local(digest_time(prefs), now, zone), now)
    else:
        await conn.execute(_STOP, key, now)


async def _send(
    conn: asyncpg.Connection, member: UUID, now: dt.datetime, mailer: Mailer, items: list[asyncpg.Record],
    chosen: bool, waiting: list[asyncpg.Record],
) -> bool:  # fmt: skip
    """One e-mail (False: no confirmed address); its one-click unsubscribe stops the digest (if
    the member chose it) and the e-mails of the kinds that were kept back for it."""
    newest = sorted(items, key=lambda r: r["updated_at"], reverse=True)
    kept_back = sorted({prefs_domain.KIND_OF.get(r["kind"], r["kind"]) for r in waiting})
    stops = ",".join(([DIGEST] if chosen else []) + kept_back)
    return await mailer.send(
        conn, member, "digest", stops, now, items=[{"title": r["title"]} for r in newest[:SHOWN]],
        more=len(newest) > SHOWN, chosen=chosen, kept_back=bool(kept_back),
    )  # fmt: skip


async def _folded_done(conn: asyncpg.Connection, folded: list[asyncpg.Record], outcome: str) -> None:
    """The kept-back e-mails this digest took (or that were read in the app before it came)."""
    taken = [r["job_key"] for r in folded if r["unread"]]
    read = [r["job_key"] for r in folded if not r["unread"]]
    if taken:
        await conn.execute(_FOLDED_DONE, taken, outcome)
    if read:
        await conn.execute(_FOLDED_DONE, read, "read")
