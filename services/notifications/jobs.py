"""What each job does when its moment comes (docs/adr/0031), in the transaction that holds it:
an e-mail about an item and a check-in reminder here, a member's daily digest in ``digest``.
Each ends by marking the job done or moving it to its next time; a mail is queued in the outbox
in that transaction. An item e-mail the day's limit keeps back is folded into the next digest."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from uuid import UUID

import asyncpg

from services.notifications import links
from services.notifications.domain import preferences as prefs_domain
from services.notifications.domain import timing
from services.notifications.prefs_projection import READ, decoded
from services.notifications.schedule import fold_into_digest, zone_of_member
from shared.bus.rpc import ServiceClient
from shared.contracts import accounts as acc
from shared.contracts.notification_prefs import Preferences
from shared.crypto import KeyStore, new_key
from shared.mail import MailTemplates, Outbox

TEMPLATES = Path(__file__).with_name("mail")
ITEM_MAIL = "item"
_ITEM = "SELECT kind, title, body, read_at IS NOT NULL AS read FROM inbox WHERE notification_id = $1"
_DONE = "UPDATE jobs SET done_at = $2, outcome = $3 WHERE job_key = $1"
_MOVE = "UPDATE jobs SET due_at = $2, last_run = coalesce($3, last_run) WHERE job_key = $1"


@dataclass(frozen=True, kw_only=True)
class Mailer:
    """What the jobs need to write to a member: the outbox, the templates, the links, the limits."""

    outbox: Outbox
    accounts: ServiceClient
    base_url: str
    secret: str
    delay: dt.timedelta
    per_day: int
    templates: MailTemplates = field(default_factory=lambda: MailTemplates(TEMPLATES))

    async def send(self, conn: asyncpg.Connection, member_id: UUID, kind: str, stops: str, now: dt.datetime,
                   **context: Any) -> bool:  # fmt: skip
        """Queue a mail (the template ``kind``) to the member's confirmed address, its one-click
        unsubscribe naming ``stops``; False when they have no confirmed address."""
        found = await self.accounts.ask(acc.MAIL_ADDRESS, acc.MailAddressRequest(member_id=member_id))
        if not found.email:
            return False
        url = links.unsubscribe_url(self.base_url, self.secret, member_id, stops)
        name = await conn.fetchval("SELECT pseudonym FROM people WHERE member_id = $1", member_id)
        mail = self.templates.render(
            kind, pseudonym=name or "there", unsubscribe_url=url, inbox_url=f"{self.base_url}/inbox",
            journal_url=f"{self.base_url}/journal", **context,
        )  # fmt: skip
        headers = {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
        key = await _key(conn, member_id)
        await self.outbox.queue(
            conn, member_id=member_id, kind=kind, to=found.email, mail=mail, now=now, key=key, headers=headers
        )
        return True


async def _key(conn: asyncpg.Connection, member_id: UUID) -> bytes:
    keys = KeyStore("notifications")
    if await conn.fetchval("SELECT true FROM member_keys WHERE member_id = $1", member_id):
        return await keys.get(conn, member_id)
    key = new_key()
    await keys.store(conn, member_id, key)
    return key


async def member_prefs(conn: asyncpg.Connection, member_id: UUID) -> tuple[Preferences, str]:
    prefs = decoded(await conn.fetchval(READ, member_id)) or prefs_domain.DEFAULTS
    return prefs, await zone_of_member(conn, member_id)


async def item_mail(conn: asyncpg.Connection, job: asyncpg.Record, now: dt.datetime, mailer: Mailer) -> None:
    """The delay has passed: skipped if read in the app (or no longer wanted by e-mail), held in
    quiet hours, folded into the next daily digest once the day's e-mails are used up."""
    member, key = job["member_id"], job["job_key"]
    prefs, zone = await member_prefs(conn, member)
    item = await conn.fetchrow(_ITEM, job["item_id"])
    sent_today = await mailer.outbox.queued_since(conn, member, [ITEM_MAIL], timing.day_start(now, zone))
    verdict = timing.item_mail(
        read=item is None or item["read"], wanted=item is None or prefs_domain.channel_for(prefs, item["kind"]) == "email",
        quiet=timing.quiet_at(prefs, now, zone), sent_today=sent_today, cap=mailer.per_day,
    )  # fmt: skip
    if verdict == "held":
        await conn.execute(_MOVE, key, timing.after_quiet(prefs, now, zone) - mailer.delay, None)
        return
    outcome: str = verdict
    if verdict == "folded":
        await fold_into_digest(conn, member, prefs, now)
    elif verdict == "send" and item is not None:
        kind = prefs_domain.KIND_OF.get(item["kind"], item["kind"])
        sent = await mailer.send(conn, member, ITEM_MAIL, kind, now, title=item["title"], body=item["body"])
        outcome = "sent" if sent else "no address"
    await conn.execute(_DONE, key, now, outcome)


async def reminder(conn: asyncpg.Connection, job: asyncpg.Record, now: dt.datetime, mailer: Mailer) -> None:
    """A check-in reminder, at most one a day, never on a day the member already wrote."""
    member, key = job["member_id"], job["job_key"]
    prefs, zone = await member_prefs(conn, member)
    if timing.quiet_at(prefs, now, zone):
        await conn.execute(_MOVE, key, timing.after_quiet(prefs, now, zone), None)
        return
    wrote = await conn.fetchval("SELECT wrote_at FROM last_wrote WHERE member_id = $1", member)
    if wrote is None or timing.local_day(wrote, zone) != timing.local_day(now, zone):
        await mailer.send(conn, member, "reminder", "reminder", now)
    await conn.execute(_MOVE, key, timing.next_local(prefs.reminder_time, now, zone), now)
