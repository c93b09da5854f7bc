"""Members for the digest benchmark, written straight into the notifications read models with
COPY (as bench/stories.py writes the stories read models): the figure is about the digest job, not
about how the rows got there.

Every member has chosen to hear encouragement, replies and notes in the daily digest (so each has a
digest job, due now), keeps UTC and the default quiet hours (22:00-08:00; the digest runs at 18:00),
and has two read items; ``WITH_UNREAD`` of them also have three unread items from the last day, and
an e-mail key already (they have had mail before)."""

from __future__ import annotations

import datetime as dt
import random
import uuid

import asyncpg
import msgspec

from services.notifications.domain.preferences import DEFAULTS
from shared.crypto import key_ring, new_key

WITH_UNREAD = 0.30
UNREAD = (("encouraged", "Ana, Bo and 2 others are proud of your story"), ("replied", "Cy replied to your story"),
          ("note", "Kim left a note on your journal"))  # fmt: skip
READ = (("approved", "Your story was approved"), ("supporter_joined", "Kim joined as your supporter"))
PREFS = msgspec.json.encode(
    msgspec.structs.replace(
        DEFAULTS, channels={**DEFAULTS.channels, "encouraged": "digest", "replied": "digest", "notes": "digest"}
    )
).decode()
_INBOX = ("notification_id", "member_id", "kind", "title", "body", "created_at", "updated_at", "read_at", "position")
_CHUNK = 10_000


class Seeded(msgspec.Struct, frozen=True, kw_only=True):
    members: int
    with_unread: int
    unread_items: int


async def seed(url: str, members: int, now: dt.datetime) -> Seeded:
    """``members`` members whose digest is due at ``now``."""
    rng = random.Random(26)
    ids = [uuid.uuid4() for _ in range(members)]
    unread = sorted(rng.sample(range(members), int(members * WITH_UNREAD)))
    conn = await asyncpg.connect(url)
    try:
        for start in range(0, members, _CHUNK):
            chunk = ids[start : start + _CHUNK]
            await _copy(conn, "people", ("member_id", "pseudonym"), [(m, f"Member {m.hex[:6]}") for m in chunk])
            await _copy(conn, "preferences", ("member_id", "prefs"), [(m, PREFS) for m in chunk])
            await _copy(
                conn, "jobs", ("job_key", "job", "member_id", "due_at", "last_run"),
                [(f"digest:{m}", "digest", m, now - dt.timedelta(minutes=1), now - dt.timedelta(days=1)) for m in chunk],
            )  # fmt: skip
            await _copy(
                conn, "inbox", _INBOX, [_item(m, kind, title, now, True) for m in chunk for kind, title in READ]
            )
        fresh = [ids[i] for i in unread]
        for start in range(0, len(fresh), _CHUNK):
            chunk = fresh[start : start + _CHUNK]
            items = [_item(m, kind, title, now, False) for m in chunk for kind, title in UNREAD]
            await _copy(conn, "inbox", _INBOX, items)
            await _copy(conn, "member_keys", ("member_id", "key"), [(m, key_ring().wrap(new_key(), m)) for m in chunk])
        await conn.execute("ANALYZE")
    finally:
        await conn.close()
    return Seeded(members=members, with_unread=len(unread), unread_items=len(unread) * len(UNREAD))


def _item(member: uuid.UUID, kind: str, title: str, now: dt.datetime, read: bool) -> tuple[object, ...]:
    at = now - dt.timedelta(days=3 if read else 0, hours=3)
    return (uuid.uuid4(), member, kind, title, "", at, at, at if read else None, 0)


async def _copy(conn: asyncpg.Connection, table: str, columns: tuple[str, ...], rows: list[tuple[object, ...]]) -> None:
    await conn.copy_records_to_table(table, schema_name="notifications", records=rows, columns=columns)
