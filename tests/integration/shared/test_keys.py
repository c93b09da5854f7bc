"""Keys a dump cannot open: data keys are wrapped by a key file that lives outside the database."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path
from uuid import UUID

import asyncpg
import pytest
import pytest_asyncio
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from shared import keyfile
from shared.bus.connection import connect
from shared.bus.rpc import ServiceClient
from shared.crypto import KeyFileProblem, KeyRing, Opener, new_key, new_kid, write_key_file
from shared.runtime.postgres import pg_bin
from shared.settings import Settings
from tests.support.people import Person, register
from tests.support.stories import Teller

pytestmark = pytest.mark.integration

SCHEMAS = ("accounts", "journal", "stories", "notifications")
TOKEN = re.compile(r"v1\.[A-Za-z0-9_\-]+=*")
BYTEA = re.compile(r"\\\\x([0-9a-f]+)")


@pytest.fixture
def settings(settings: Settings, tmp_path: Path) -> Settings:
    """This test's own key file, so that rotating it touches no other test."""
    path = tmp_path / "secrets" / "keys.json"
    kid = new_kid()
    write_key_file(path, {kid: new_key()}, kid)
    return settings.with_(key_file=path)


@pytest_asyncio.fixture
async def client(settings: Settings, system: object) -> AsyncIterator[ServiceClient]:
    nc = await connect(settings.servers()[1], name="test")
    yield ServiceClient(nc, settings.nats_prefix)
    await nc.close()


async def _people(client: ServiceClient, settings: Settings) -> tuple[Person, list[str]]:
    robin = await register(client, "Robin", settings.database_url or "")
    await robin.call("record", object, entry={"kind": "victory", "text": "Walked to the lake with Sam"})
    await Teller(client, "Robin", member_id=robin.id).submit("Out of the fog", "I asked my GP for help, and it helped.")
    return robin, ["robin@example.org", "Walked to the lake with Sam", "I asked my GP for help"]


def _dump(settings: Settings) -> str:
    done = subprocess.run(
        [str(pg_bin("pg_dump")), "--data-only", "--no-owner", settings.database_url or ""],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    return done.stdout


def _opens(key: bytes, tokens: list[str], members: list[UUID]) -> list[str]:
    out = []
    for member in members:
        opener = Opener(key, member)
        for token in tokens:
            try:
                out.append(opener.open(token))
            except ValueError:
                continue
    return out


def _wrapped(dump: str) -> list[bytes]:
    return [bytes.fromhex(h) for h in BYTEA.findall(dump)]


async def test_a_dump_alone_opens_nothing_and_the_key_file_opens_it(client: ServiceClient, settings: Settings) -> None:
    robin, secrets = await _people(client, settings)
    dump = _dump(settings)
    tokens = sorted(set(TOKEN.findall(dump)))
    members = sorted(
        {UUID(u) for u in re.findall(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", dump)}
    )
    assert tokens and robin.id in members
    for secret in secrets:
        assert secret not in dump
    blobs = _wrapped(dump)
    assert blobs, "the dump holds the wrapped data keys"
    # every 32 bytes anywhere in a stored key, as an AES key: none opens any sealed value
    candidates = {blob[i : i + 32] for blob in blobs for i in range(len(blob) - 31)}
    assert all(not _opens(key, tokens, members) for key in candidates)
    # ...while the key file opens them all
    ring = KeyRing(settings.keys_path)
    opened = []
    for blob in blobs:
        for member in members:
            try:
                key = ring.unwrap(blob, member)
            except KeyFileProblem:
                continue
            AESGCM(key)  # a real 256-bit key
            opened += _opens(key, tokens, [member])
    for secret in secrets:
        assert any(secret in text for text in opened), secret


async def test_rotation_rewraps_every_key_and_the_old_file_opens_nothing(
    client: ServiceClient, settings: Settings, tmp_path: Path
) -> None:
    robin, _ = await _people(client, settings)
    old = tmp_path / "old-keys.json"
    shutil.copy(settings.keys_path, old)
    conn = await _connect(settings)
    try:
        moved = await keyfile.rotate(conn, settings.keys_path, SCHEMAS, settle=0.1)
        rows = [r for s in SCHEMAS for r in await conn.fetch(f"SELECT member_id, key FROM {s}.member_keys")]
    finally:
        await conn.close()
    assert moved == len(rows) >= 3  # accounts, journal and stories each keep Robin's key
    new_ring, old_ring = KeyRing(settings.keys_path), KeyRing(old)
    for row in rows:
        assert len(new_ring.unwrap(bytes(row["key"]), row["member_id"])) == 32
        with pytest.raises(KeyFileProblem):
            old_ring.unwrap(bytes(row["key"]), row["member_id"])
    # the running services read the rotated file without a restart
    assert await robin.texts() == ["Walked to the lake with Sam"]
    await robin.call("record", object, entry={"kind": "mood", "mood": 4, "text": "Calm"})
    assert sorted(await robin.texts()) == ["Calm", "Walked to the lake with Sam"]


async def test_a_missing_key_file_is_never_made_anew_over_wrapped_keys(
    client: ServiceClient, settings: Settings
) -> None:
    await _people(client, settings)
    settings.keys_path.unlink()
    conn = await _connect(settings)
    try:
        with pytest.raises(KeyFileProblem, match="missing"):
            await keyfile.prepare(conn, settings.keys_path, SCHEMAS)
    finally:
        await conn.close()
    assert not settings.keys_path.exists()
    with pytest.raises(KeyFileProblem, match=r"keys\.json.*smallwins keys init"):
        KeyRing(settings.keys_path)


async def _connect(settings: Settings) -> asyncpg.Connection:
    return await asyncpg.connect(settings.database_url)
