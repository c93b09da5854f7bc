"""Per-member encryption of sensitive text, and blind indexes for looking it up.

Each member has a random 256-bit data key in their service's ``member_keys`` table, stored
*wrapped* (AES-GCM) by a key-encryption key that lives outside the database, in the key file
(envelope encryption, docs/adr/0021-keys-a-dump-cannot-open.md): a dump alone opens nothing.
Text is sealed with the data key (AES-GCM, a fresh 96-bit nonce each time, the member id as
associated data) and stored as ``v1.<base64>``. Erasing the data key makes every copy
unreadable, including the append-only log.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
from pathlib import Path
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


WRAPPED = b"W1"
_KID_LEN = 8


class KeyFileProblem(RuntimeError):
    """The key file is missing, unreadable or does not hold the key a value was wrapped with."""


def _missing(path: Path) -> KeyFileProblem:
    return KeyFileProblem(
        f"The key file {path} is missing or unreadable. It holds the keys that open members' private "
        "text, and it is never made anew over existing data. Restore it from your backup (set "
        "SMALLWINS_KEY_FILE if it lives elsewhere); for a new, empty system create one with "
        "`smallwins keys init`."
    )


WRAPPED_LEN = len(WRAPPED) + _KID_LEN + 12 + 32 + 16  # prefix, key id, nonce, data key, tag
PLAIN_LEN = 32  # a data key from before envelope encryption


def is_wrapped(stored: bytes) -> bool:
    """Told by length, not by the prefix alone: a plain random key may begin with the prefix too."""
    return len(stored) == WRAPPED_LEN and stored.startswith(WRAPPED)


class KeyRing:
    """The key-encryption keys of the key file: the current one wraps, any of them unwraps.

    The file is read again when a wrapped key names a key-encryption key not loaded yet, or
    before wrapping when the file changed, so that `smallwins keys rotate` needs no restart.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._stamp: tuple[int, int] | None = None
        self._keys: dict[str, AESGCM] = {}
        self.current = ""
        self._opened: dict[tuple[bytes, UUID], bytes] = {}
        self._read()

    def _read(self) -> None:
        try:
            stat = self.path.stat()
            doc = json.loads(self.path.read_text())
            keys = {kid: AESGCM(base64.b64decode(raw)) for kid, raw in doc["keys"].items()}
            current = str(doc["current"])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise _missing(self.path) from exc
        if current not in keys:
            raise KeyFileProblem(f"The key file {self.path} does not hold its current key {current!r}.")
        self._keys, self.current, self._stamp = keys, current, (stat.st_mtime_ns, stat.st_size)

    def _fresh(self) -> None:
        try:
            stat = self.path.stat()
        except OSError as exc:
            raise _missing(self.path) from exc
        if (stat.st_mtime_ns, stat.st_size) != self._stamp:
            self._read()

    def wrap(self, key: bytes, member_id: UUID) -> bytes:
        self._fresh()
        nonce = os.urandom(12)
        sealed = self._keys[self.current].encrypt(nonce, key, member_id.bytes)
        return WRAPPED + self.current.encode() + nonce + sealed

    def kid_of(self, wrapped: bytes) -> str:
        if not is_wrapped(wrapped):
            raise KeyFileProblem("A member's data key is not wrapped: run `smallwins keys init` to wrap it.")
        return wrapped[2 : 2 + _KID_LEN].decode()

    def unwrap(self, wrapped: bytes, member_id: UUID) -> bytes:
        """The data key; kept in memory once opened (a page opens the same few keys again and again)."""
        cached = self._opened.get((wrapped, member_id))  # the member too: a key opens for its own alone
        if cached is not None:
            return cached
        kid = self.kid_of(wrapped)
        if kid not in self._keys:
            self._read()  # rotated since this process read the file
        if kid not in self._keys:
            raise KeyFileProblem(f"The key file {self.path} lacks the key {kid!r} that wrapped a member's data key.")
        body = wrapped[2 + _KID_LEN :]
        try:
            key = self._keys[kid].decrypt(body[:12], body[12:], member_id.bytes)
        except InvalidTag as exc:
            raise KeyFileProblem(f"A member's data key does not open with the key {kid!r} of {self.path}.") from exc
        if len(self._opened) >= 100_000:
            self._opened.clear()
        self._opened[(wrapped, member_id)] = key
        return key


def write_key_file(path: Path, keys: dict[str, bytes], current: str) -> None:
    """Write the key file atomically, readable by its owner alone."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    doc = {"current": current, "keys": {kid: base64.b64encode(k).decode() for kid, k in keys.items()}}
    tmp = path.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(json.dumps(doc, indent=1))
        out.flush()
        os.fsync(out.fileno())
    tmp.replace(path)


def read_key_file(path: Path) -> tuple[dict[str, bytes], str]:
    try:
        doc = json.loads(path.read_text())
        return {kid: base64.b64decode(raw) for kid, raw in doc["keys"].items()}, str(doc["current"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise _missing(path) from exc


def new_kid() -> str:
    return secrets.token_hex(_KID_LEN // 2)


_ring: KeyRing | None = None


def install(ring: KeyRing) -> None:
    """The composition root of a process names its key ring once, at start."""
    global _ring
    _ring = ring


def key_ring() -> KeyRing:
    if _ring is None:
        raise KeyFileProblem("No key file was loaded in this process.")
    return _ring


def unwrap(wrapped: bytes, member_id: UUID) -> bytes:
    return key_ring().unwrap(wrapped, member_id)


def blind_index(secret: str, value: str) -> str:
    """A keyed hash for equality look-ups of a private value (e.g. an e-mail address)."""
    return hmac.new(secret.encode(), value.encode(), hashlib.sha256).hexdigest()


class KeyStore:
    def __init__(self, schema: str) -> None:
        self._schema = schema

    async def store(self, conn: asyncpg.Connection, member_id: UUID, key: bytes) -> None:
        wrapped = key_ring().wrap(key, member_id)
        await conn.execute(
            f"INSERT INTO {self._schema}.member_keys (member_id, key) VALUES ($1, $2)", member_id, wrapped
        )

    async def get(self, conn: asyncpg.Connection, member_id: UUID) -> bytes:
        wrapped = await conn.fetchval(f"SELECT key FROM {self._schema}.member_keys WHERE member_id = $1", member_id)
        if wrapped is None:
            raise KeyErased(str(member_id))
        return unwrap(bytes(wrapped), member_id)

    async def erase(self, conn: asyncpg.Connection, member_id: UUID) -> None:
        await conn.execute(f"DELETE FROM {self._schema}.member_keys WHERE member_id = $1", member_id)
