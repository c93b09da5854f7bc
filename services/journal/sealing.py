"""The keys the journal seals with (ADR 35), all in ``journal.member_keys`` (keyed by uuid): each
journal's own key, and each member's own key for the notes and observations they write.

A note or an observation is sealed twice: with its author's key inside and the journal's key
outside, so that it reads while both live and neither the author's erasure nor the owner's leaves
it readable anywhere, the log included. An accepted observation becomes the member's record: its
text is sealed again with the journal's key alone."""

from __future__ import annotations

from uuid import UUID

import asyncpg

from services.journal.domain.common import Seal
from services.journal.domain.observation import Observation
from shared.crypto import KeyErased, KeyStore, key_ring, new_key, open_sealed, seal
from shared.erasure import is_erased
from shared.errors import NotFound

S = "journal"
_keys = KeyStore(S)


def sealer(key: bytes, journal_id: UUID) -> Seal:
    """Seals with the journal's key alone: entries, and what becomes the member's record."""
    return lambda text: seal(key, text, journal_id)


def twice(journal_key: bytes, journal_id: UUID, author_key: bytes, author_id: UUID) -> Seal:
    """Seals a note or an observation: the author's key inside, the journal's outside."""
    return lambda text: seal(journal_key, seal(author_key, text, author_id), journal_id)


async def author_key(conn: asyncpg.Connection, member_id: UUID) -> bytes:
    """The member's own key here, made with their first note or observation (in the caller's
    transaction); never made again once they are erased: they are not found."""
    try:
        return await _keys.get(conn, member_id)
    except KeyErased:
        pass
    if await is_erased(conn, S, member_id):
        raise NotFound("We couldn't find that journal.")
    await conn.execute(
        f"INSERT INTO {S}.member_keys (member_id, key) VALUES ($1, $2) ON CONFLICT (member_id) DO NOTHING",
        member_id,
        key_ring().wrap(new_key(), member_id),
    )
    return await _keys.get(conn, member_id)


async def record_of(conn: asyncpg.Connection, o: Observation) -> str:
    """An observation's text sealed with the journal's key alone: the member's own copy."""
    journal_key = await _keys.get(conn, o.journal_id)
    text = open_sealed(journal_key, o.text, o.journal_id)
    if o.author_sealed:
        text = open_sealed(await _keys.get(conn, o.author_id), text, o.author_id)
    return seal(journal_key, text, o.journal_id)
