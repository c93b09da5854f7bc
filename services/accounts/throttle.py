"""Slowing down repeated failed sign-ins, per e-mail address and per client address.

A key may fail ``free`` times within the window; the ``free``-th failure and each one after
it lock the key for a doubling delay (10 s, 20 s, 40 s ... at most 15 minutes). While locked, sign-in is refused
before the password is even checked. A success clears the e-mail's count.
"""

from __future__ import annotations

import datetime as dt
import math

import asyncpg

from shared.errors import RateLimited

SCHEMA = "accounts"
WINDOW = dt.timedelta(minutes=15)
BASE_DELAY_S = 10
MAX_DELAY_S = 15 * 60
FREE_PER_EMAIL = 5
FREE_PER_CLIENT = 20


async def check(conn: asyncpg.Connection, keys: list[str], now: dt.datetime) -> None:
    locked_until = await conn.fetchval(
        f"SELECT max(locked_until) FROM {SCHEMA}.sign_in_failures WHERE key = ANY($1) AND locked_until > $2",
        keys,
        now,
    )
    if locked_until is not None:
        wait = max(1, math.ceil((locked_until - now).total_seconds()))
        raise RateLimited(
            f"Too many sign-in attempts. Please wait {_human(wait)} and try again.",
            retry_after=wait,
        )


async def record_failure(conn: asyncpg.Connection, key: str, free: int, now: dt.datetime) -> None:
    await conn.execute(
        f"""
        INSERT INTO {SCHEMA}.sign_in_failures AS f (key, failures, first_failure_at)
        VALUES ($1, 1, $2)
        ON CONFLICT (key) DO UPDATE SET
            failures = CASE WHEN f.first_failure_at < $2 - $3::interval THEN 1
                            ELSE f.failures + 1 END,
            first_failure_at = CASE WHEN f.first_failure_at < $2 - $3::interval THEN $2
                                    ELSE f.first_failure_at END,
            locked_until = CASE
                WHEN f.first_failure_at >= $2 - $3::interval AND f.failures + 1 >= $4
                THEN $2 + make_interval(secs => least($5 * 2 ^ (f.failures + 1 - $4), $6))
                ELSE NULL END
        """,
        key,
        now,
        WINDOW,
        free,
        BASE_DELAY_S,
        MAX_DELAY_S,
    )


async def clear(conn: asyncpg.Connection, key: str) -> None:
    await conn.execute(f"DELETE FROM {SCHEMA}.sign_in_failures WHERE key = $1", key)


def _human(seconds: int) -> str:
    if seconds < 90:
        return f"{seconds} seconds"
    return f"{math.ceil(seconds / 60)} minutes"
