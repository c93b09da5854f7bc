"""What tables hold, in an order that does not depend on how the rows were written."""

from __future__ import annotations

from collections.abc import Iterable

import asyncpg

Rows = dict[str, list[tuple[object, ...]]]


async def rows_of(pool: asyncpg.Pool, tables: Iterable[str]) -> Rows:
    """Every row of each table (named as the pool's search path finds it), sorted by its text."""
    return {t: [tuple(r) for r in await pool.fetch(f"SELECT * FROM {t} AS r ORDER BY r::text")] for t in tables}
