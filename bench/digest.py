"""What a daily digest for 100,000 members would read: their unread inbox items.

There is no digest job yet (it is being built elsewhere); until there is, this measures the read
it will rest on, on a database of its own: 100,000 members with five inbox items each, three of
them unread (written straight into the inbox read model with COPY, as bench/stories.py writes the
stories read models: the figure is about reading them). Two ways to read them:

* ``digest_unread_per_member``: the ``unread`` verb's own query once per member, over 4
  connections (a digest that asks about each member in turn);
* ``digest_unread_scan``: one pass over the unread items of every member, 1,000 members a page
  by keyset on ``member_id`` (a digest that reads everyone at once).

Each gives its time for all 100,000 members and the unread rows read per second.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
import uuid

import asyncpg

from bench.growth import _database
from bench.pages import _migrate
from bench.report import Figure
from services.notifications.inbox import UNREAD

MEMBERS, ITEMS, UNREAD_ITEMS, CONNECTIONS, PAGE = 100_000, 5, 3, 4, 1_000
COLUMNS = ("notification_id", "member_id", "kind", "title", "body", "created_at", "updated_at", "read_at", "position")
_SCAN = (
    "SELECT member_id, count(*) FROM notifications.inbox WHERE read_at IS NULL AND member_id > $1"
    " GROUP BY member_id ORDER BY member_id LIMIT $2"
)


async def _seed(url: str) -> list[uuid.UUID]:
    members = sorted(uuid.uuid4() for _ in range(MEMBERS))
    now = dt.datetime.now(dt.UTC)
    conn = await asyncpg.connect(url)
    try:
        for start in range(0, MEMBERS, 10_000):
            rows = [
                (uuid.uuid4(), m, "encouraged", "Someone is proud of your story", "", now - dt.timedelta(hours=i),
                 now - dt.timedelta(hours=i), None if i < UNREAD_ITEMS else now, 0)
                for m in members[start : start + 10_000]
                for i in range(ITEMS)
            ]  # fmt: skip
            await conn.copy_records_to_table("inbox", schema_name="notifications", records=rows, columns=COLUMNS)
        await conn.execute("ANALYZE notifications.inbox")
    finally:
        await conn.close()
    return members


async def _per_member(url: str, members: list[uuid.UUID]) -> tuple[float, int]:
    pool = await asyncpg.create_pool(
        url, min_size=CONNECTIONS, max_size=CONNECTIONS, server_settings={"search_path": "notifications"}
    )
    counted = 0

    async def worker(w: int) -> None:
        nonlocal counted
        async with pool.acquire() as conn:
            for m in members[w::CONNECTIONS]:
                n = await conn.fetchval(UNREAD, m)  # read first: `counted += await ...` loses updates
                counted += n

    try:
        began = time.perf_counter()
        await asyncio.gather(*(worker(w) for w in range(CONNECTIONS)))
        return time.perf_counter() - began, counted
    finally:
        await pool.close()


async def _scan(url: str) -> tuple[float, int]:
    conn = await asyncpg.connect(url)
    try:
        began, after, counted = time.perf_counter(), uuid.UUID(int=0), 0
        while rows := await conn.fetch(_SCAN, after, PAGE):
            counted += sum(r[1] for r in rows)
            after = rows[-1][0]
        return time.perf_counter() - began, counted
    finally:
        await conn.close()


async def digest_figures(admin_url: str) -> list[Figure]:
    url = await _database(admin_url, "digest_bench")
    await _migrate(url)
    members = await _seed(url)
    figures = []
    for name, (seconds, rows) in (("per_member", await _per_member(url, members)), ("scan", await _scan(url))):
        if rows != MEMBERS * UNREAD_ITEMS:
            raise RuntimeError(f"digest {name}: {rows} unread rows, not {MEMBERS * UNREAD_ITEMS}")
        figures.append(Figure(name=f"digest_unread_{name}_s", value=seconds, unit="s"))
        figures.append(Figure(name=f"digest_unread_{name}_rows_per_s", value=rows / seconds, unit="rows/s"))
    return figures
