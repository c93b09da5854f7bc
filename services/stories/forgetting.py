"""What the stories read models do about a member who left (docs/adr/0036-erasure-in-the-feed.md).

``MemberErased`` purges them from each read model, in the transaction that records it; and no
projection writes a row of theirs again (``kept``), whether a late event arrives after the erasure
or a read model is rebuilt from the log, where their events are still found (sealed with a key that
is gone). What others did stays: replies by others, others' reports and encouragement, the
moderators' decisions in the audit (by ids)."""

from __future__ import annotations

from uuid import UUID

import asyncpg

from services.stories.events import MemberErased
from shared.erasure import is_erased

SCHEMA = "stories"


async def kept(conn: asyncpg.Connection, member: UUID) -> bool:
    """False for a member erased here: no projection writes a row of theirs."""
    return not await is_erased(conn, SCHEMA, member)


async def posts(conn: asyncpg.Connection, e: MemberErased) -> None:
    """Their stories and replies (every version: a post's row is its latest), and their trust. Others'
    replies to their stories stay with those replies' authors, out of the moderators' queue: there is
    no story left for them to answer."""
    await conn.execute("DELETE FROM posts WHERE author_id = $1", e.member_id)
    await conn.execute("DELETE FROM trust WHERE member_id = $1", e.member_id)
    await conn.execute(
        "UPDATE posts SET review = NULL, claimed_by = NULL, claim_until = NULL"
        " WHERE kind = 'reply' AND story_author_id = $1 AND review IS NOT NULL",
        e.member_id,
    )


async def reports(conn: asyncpg.Connection, e: MemberErased) -> None:
    """The reports they made (their weight on each post went with ``ReportErased``)."""
    await conn.execute("DELETE FROM reports WHERE reporter_id = $1", e.member_id)


async def messages(conn: asyncpg.Connection, e: MemberErased) -> None:
    """Moderators' private messages to them (moderators' own templates stay)."""
    await conn.execute("DELETE FROM messages WHERE member_id = $1", e.member_id)


async def cheers(conn: asyncpg.Connection, e: MemberErased) -> None:
    """The encouragement they gave (others' stories count it no more) and their reading choices."""
    await conn.execute("DELETE FROM encouragements WHERE reader_id = $1", e.member_id)
    await conn.execute("DELETE FROM readers WHERE member_id = $1", e.member_id)
