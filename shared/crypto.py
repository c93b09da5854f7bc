"""Per-member encryption of sensitive text, and blind indexes for looking it up.

Each member has a random 256-bit data key in their service's ``member_keys`` table. Text is
sealed with AES-GCM (a fresh 96-bit nonce each time, the member id as associated data) and
stored as ``v1.<base64>``. Erasing the key makes every copy unreadable, including the
append-only log.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from uuid import UUID

import asyncpg
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM


class KeyErased(LookupError):
    """The member's key is gone: their text can no longer be read."""


def new_key() -> bytes:
    return AESGCM.generate_key(bit_length=256)


def seal(key: bytes, plaintext: str, member_id: UUID) -> str:
    nonce = os.urandom(12)
    sealed = AESGCM(key).encrypt(nonce, plaintext.encode(), member_id.bytes)
    return "v1." + base64.urlsafe_b64encode(nonce + sealed).decode()


def open_sealed(key: bytes, token: str, member_id: UUID) -> str:
    return Opener(key, member_id).open(token)


class Opener:
    """Opens many sealed values of one member with one cipher (a page's worth of entries)."""

    def __init__(self, key: bytes, member_id: UUID) -> None:
        self._cipher = AESGCM(key)
        self._aad = member_id.bytes

    def open(self, token: str) -> str:
        if not token.startswith("v1."):
            raise ValueError("not a sealed value")
        raw = base64.urlsafe_b64decode(token[3:])
        try:
            return self._cipher.decrypt(raw[:12], raw[12:], self._aad).decode()
        except InvalidTag as exc:
            raise ValueError("sealed value does not match this key") from exc


def blind_index(secret: str, value: str) -> str:
    """A keyed hash for equality look-ups of a private value (e.g. an e-mail address)."""
    return hmac.new(secret.encode(), value.encode(), hashlib.sha256).hexdigest()


class KeyStore:
    def __init__(self, schema: str) -> None:
        self._schema = schema

    async def store(self, conn: asyncpg.Connection, member_id: UUID, key: bytes) -> None:
        await conn.execute(f"INSERT INTO {self._schema}.member_keys (member_id, key) VALUES ($1, $2)", member_id, key)

    async def get(self, conn: asyncpg.Connection, member_id: UUID) -> bytes:
        key = await conn.fetchval(f"SELECT key FROM {self._schema}.member_keys WHERE member_id = $1", member_id)
        if key is None:
            raise KeyErased(str(member_id))
        return bytes(key)

    async def erase(self, conn: asyncpg.Connection, member_id: UUID) -> None:
        await conn.execute(f"DELETE FROM {self._schema}.member_keys WHERE member_id = $1", member_id)
