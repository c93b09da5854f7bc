"""The key file's life: made once for a new system, and rotated without stopping anything.

Data keys live in every service's ``member_keys`` table, wrapped by the current key-encryption
key of the key file (``shared.crypto.KeyRing``). These operations run as the operator (the
schemas' owner): the command line's ``smallwins keys init`` and ``smallwins keys rotate``, and
``smallwins up`` on every start.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from pathlib import Path

import asyncpg

from shared.crypto import (
    PLAIN_LEN,
    WRAPPED,
    KeyFileProblem,
    KeyRing,
    is_wrapped,
    new_key,
    new_kid,
    read_key_file,
    write_key_file,
)

_BATCH = 500


async def _count(conn: asyncpg.Connection, schema: str, where: str, *args: object) -> int:
    return int(await conn.fetchval(f"SELECT count(*) FROM {schema}.member_keys WHERE {where}", *args))


async def prepare(conn: asyncpg.Connection, path: Path, schemas: Iterable[str]) -> bool:
    """Make sure every data key is wrapped by the key file's keys; returns whether the file was made.

    A missing key file is made only when no data key is wrapped yet (a new system, or one from
    before envelope encryption, whose plain data keys are then wrapped): never anew over keys
    that an older file wrapped.
    """
    schemas = list(schemas)
    made = False
    if not path.exists():  # noqa: ASYNC240 - the operator's command, once
        for schema in schemas:
            if await _count(conn, schema, "length(key) <> $1", PLAIN_LEN):
                raise KeyFileProblem(f"The key file {path} is missing, and this database's data keys need it.")
        kid = new_kid()
        write_key_file(path, {kid: new_key()}, kid)
        made = True
    ring = KeyRing(path)
    for schema in schemas:
        await _rewrap(conn, schema, ring, "length(key) = $1", PLAIN_LEN)
    return made


async def _rewrap(conn: asyncpg.Connection, schema: str, ring: KeyRing, where: str, arg: object) -> int:
    """Wrap again with the current key every data key that ``where`` picks; returns how many."""
    done = 0
    while True:
        async with conn.transaction():
            rows = await conn.fetch(
                f"SELECT member_id, key FROM {schema}.member_keys WHERE {where} LIMIT {_BATCH} FOR UPDATE SKIP LOCKED",
                arg,
            )
            if not rows:
                return done
            for row in rows:
                raw = bytes(row["key"])
                key = ring.unwrap(raw, row["member_id"]) if is_wrapped(raw) else raw
                await conn.execute(
                    f"UPDATE {schema}.member_keys SET key = $2 WHERE member_id = $1",
                    row["member_id"], ring.wrap(key, row["member_id"]),
                )  # fmt: skip
            done += len(rows)


async def rotate(conn: asyncpg.Connection, path: Path, schemas: Iterable[str], settle: float = 2.0) -> int:
    """A new key-encryption key: every data key is wrapped by it, then the old ones leave the file.

    Running services read the file again when it changes, so nothing stops. A service that read
    the file just before it changed may still wrap one new data key with the old key; the sweep
    runs again after ``settle`` seconds to catch it before the old key is dropped.
    """
    schemas = list(schemas)
    keys, _current = read_key_file(path)
    kid = new_kid()
    write_key_file(path, {**keys, kid: new_key()}, kid)
    ring = KeyRing(path)
    old = WRAPPED + kid.encode()
    moved = 0
    for _ in range(2):
        for schema in schemas:
            moved += await _rewrap(conn, schema, ring, "substring(key for 10) <> $1", old)
        await asyncio.sleep(settle)
    for schema in schemas:
        if await _count(conn, schema, "substring(key for 10) <> $1", old):
            raise KeyFileProblem("Some data keys were not rewrapped; the old key stays in the file. Run it again.")
    write_key_file(path, {kid: read_key_file(path)[0][kid]}, kid)
    return moved
