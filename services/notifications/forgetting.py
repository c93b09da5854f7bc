"""What the notifications read models do about a member who left (docs/adr/0037-erasure-in-notifications.md).

``MemberErased`` purges them from each inline read model, in the transaction that records it: their
inbox, its head, their mutes and preferences. The items of others that named them say "a former
member" from then on (``forgotten``, the same words a rebuild gives). No projection writes a row of
theirs again (``kept``), whether a late event arrives or a read model is rebuilt from the log, where
their events are still found; and an item is never worded with their name again, even from an older
event that holds it in clear (``actor_name``). The other way round, an item written before the inbox
learnt a member's pseudonym says "Someone" where it names them until it learns it (``learnt``).
Tables named without a schema."""

from __future__ import annotations

from uuid import UUID

import asyncpg

from services.notifications.domain.inbox import UNKNOWN_NAME, Group, Notice, forgotten, renamed
from services.notifications.events import ItemNoted
from shared.contracts.erasure import PLACEHOLDER_NAME
from shared.db import advisory_key
from shared.erasure import erased_among, is_erased

SCHEMA = "notifications"
_NAMING = (
    "SELECT notification_id, member_id, kind, variant, about, about_id, names, actor_ids FROM inbox"
    " WHERE actor_ids @> ARRAY[$1]::uuid[]"
)
_REWORD = "UPDATE inbox SET title = $2, body = $3, names = $4 WHERE notification_id = $1"
_PEOPLE = "SELECT member_id, pseudonym FROM people WHERE member_id = ANY($1::uuid[]) FOR KEY SHARE"
# Learning a pseudonym is fenced by a lock on the member (a row lock cannot fence a pseudonym not
# yet learnt): exclusive while it is learnt (``learnt``), shared while an item that found no
# pseudonym for them is worded (``actor_name``)
_LEARNING = "SELECT pg_advisory_xact_lock($1)"
_WORDING_UNKNOWN = "SELECT pg_advisory_xact_lock_shared($1)"


async def kept(conn: asyncpg.Connection, member: UUID) -> bool:
    """False for a member erased here: no projection writes a row of theirs."""
    return not await is_erased(conn, SCHEMA, member)


async def actor_name(conn: asyncpg.Connection, event: ItemNoted) -> str | None:
    """How an item names who acted, or None when its member has left (nothing is written for them):
    ``PLACEHOLDER_NAME`` once they have left; else the pseudonym the inbox keeps for them
    (``people``), or the one an older event holds; "" (-> "Someone") when neither knows them.

    Their ``people`` rows are read with the lightest lock (key share), which an erasure running
    meanwhile takes exclusively (``inbox``): either this item is written first and the erasure
    words it again, or it waits for the erasure and then finds them in ``erased``. An actor with no
    pseudonym yet is read again under a shared lock on learning theirs (``learnt`` takes it
    exclusively): either this item is written first and ``learnt`` words it again, or it waits for
    the learning and then finds the pseudonym (each statement sees what was committed before it).
    No pseudonym is learnt for someone who has left, so no lock is taken for them."""
    ids = [i for i in (event.member_id, event.actor_id) if i is not None]
    names = dict(await conn.fetch(_PEOPLE, ids))
    gone = await erased_among(conn, SCHEMA, ids)
    if event.actor_id is not None and event.actor_id not in names and not gone:
        await conn.execute(_WORDING_UNKNOWN, _naming_key(event.actor_id))
        names = dict(await conn.fetch(_PEOPLE, ids))
        gone = await erased_among(conn, SCHEMA, ids)
    if event.member_id in gone:
        return None
    if event.actor_id is None:
        return ""
    if event.actor_id in gone:
        return PLACEHOLDER_NAME
    return str(names.get(event.actor_id) or event.actor_name)


async def inbox(conn: asyncpg.Connection, member: UUID) -> None:
    """Their inbox goes; every item of someone else that named them names "a former member"."""
    await conn.execute("SELECT FROM people WHERE member_id = $1 FOR UPDATE", member)  # see actor_name
    await conn.execute("DELETE FROM inbox WHERE member_id = $1", member)
    await conn.execute("DELETE FROM inbox_heads WHERE member_id = $1", member)
    for r in await conn.fetch(_NAMING, member):
        notice = Notice(member_id=r["member_id"], kind=r["kind"], about=r["about"], about_id=r["about_id"],
                        variant=r["variant"])  # fmt: skip
        group, title, body = forgotten(notice, Group(names=tuple(r["names"]), actor_ids=tuple(r["actor_ids"])), member)
        await conn.execute(_REWORD, r["notification_id"], title, body, list(group.names))


def _naming_key(member: UUID) -> int:
    return advisory_key(f"notifications.naming:{member}")


async def learnt(conn: asyncpg.Connection, member: UUID, pseudonym: str) -> None:
    """The inbox has just learnt a member's pseudonym (in this transaction): items written before
    it knew them, which say "Someone" where they name them, name them from now on. No item is
    worded "Someone" for them after this looks (see ``actor_name``)."""
    await conn.execute(_LEARNING, _naming_key(member))
    for r in await conn.fetch(_NAMING, member):
        group = Group(names=tuple(r["names"]), actor_ids=tuple(r["actor_ids"]))
        at = group.actor_ids.index(member)
        if at >= len(group.names) or group.names[at] != UNKNOWN_NAME:
            continue
        notice = Notice(member_id=r["member_id"], kind=r["kind"], about=r["about"], about_id=r["about_id"],
                        variant=r["variant"])  # fmt: skip
        group, title, body = renamed(notice, group, member, pseudonym)
        await conn.execute(_REWORD, r["notification_id"], title, body, list(group.names))


async def mutes(conn: asyncpg.Connection, member: UUID) -> None:
    await conn.execute("DELETE FROM mutes WHERE member_id = $1", member)


async def preferences(conn: asyncpg.Connection, member: UUID) -> None:
    await conn.execute("DELETE FROM preferences WHERE member_id = $1", member)
