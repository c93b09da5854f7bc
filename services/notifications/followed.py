"""What the inbox keeps of other services' events so that it can address its items: pseudonyms,
which story a post belongs to, a journal's owner, its joined supporters and a pending proposal.
Written by the consumers in their transactions (tables named without a schema), live and on a
rebuild from the producers' streams alike: nothing of a member erased here is written (their name,
their posts, their journals, their supporter places), whatever an older event holds."""

from __future__ import annotations

from uuid import UUID

import asyncpg

from services.notifications import forgetting
from services.notifications.domain.rules import JournalFacts
from services.notifications.forgetting import SCHEMA
from shared.contracts import journal_events as je
from shared.contracts import story_events as se
from shared.erasure import erased_among, is_erased


async def remember_person(conn: asyncpg.Connection, member_id: UUID, pseudonym: str) -> None:
    if await is_erased(conn, SCHEMA, member_id):
        return
    added = await conn.fetchval(
        "INSERT INTO people (member_id, pseudonym) VALUES ($1, $2) ON CONFLICT (member_id) DO NOTHING RETURNING true",
        member_id,
        pseudonym,
    )
    if added:  # items written before the inbox knew them said "Someone"
        await forgetting.learnt(conn, member_id, pseudonym)


async def remember_post(conn: asyncpg.Connection, event_type: str, seen: se.PostSeen) -> None:
    if await is_erased(conn, SCHEMA, seen.author_id):
        return
    kind, story = ("reply", seen.story_id) if event_type == se.REPLY_SUBMITTED else ("story", seen.item_id)
    await conn.execute(
        "INSERT INTO posts (item_id, kind, story_id, author_id) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
        seen.item_id,
        kind,
        story or seen.item_id,
        seen.author_id,
    )


async def story_of(conn: asyncpg.Connection, item_id: UUID) -> UUID | None:
    """The story a post is or answers, if the inbox saw it submitted."""
    story: UUID | None = await conn.fetchval("SELECT story_id FROM posts WHERE item_id = $1", item_id)
    return story


async def journal_facts(conn: asyncpg.Connection, journal_id: UUID) -> JournalFacts:
    row = await conn.fetchrow("SELECT owner_id, proposed_by FROM journals WHERE journal_id = $1", journal_id)
    rows = await conn.fetch("SELECT supporter_id, role FROM supporters WHERE journal_id = $1", journal_id)
    supporters = {r["supporter_id"]: r["role"] for r in rows}
    if row is None:
        return JournalFacts(supporters=supporters)
    return JournalFacts(owner_id=row["owner_id"], supporters=supporters, proposed_by=row["proposed_by"])


async def remember_journal(conn: asyncpg.Connection, event_type: str, seen: je.JournalSeen) -> None:
    """Keep the journal's owner, supporters and pending proposal as the event changes them; nothing
    of a journal whose owner has left, of a supporter who has left, or of their proposal."""
    gone = await erased_among(conn, SCHEMA, (seen.owner_id, seen.started_by, seen.supporter_id, seen.proposed_by))
    if gone & {seen.owner_id, seen.supporter_id, seen.proposed_by}:
        return
    j = seen.journal_id
    if event_type in (je.JOURNAL_STARTED, je.JOURNAL_CLAIMED):
        await conn.execute(
            "INSERT INTO journals (journal_id, owner_id) VALUES ($1, $2)"
            " ON CONFLICT (journal_id) DO UPDATE SET owner_id = coalesce($2, journals.owner_id)",
            j,
            seen.owner_id,
        )
        keeper = seen.started_by if event_type == je.JOURNAL_STARTED and seen.owner_id is None else None
        if keeper is not None and keeper not in gone:  # kept for someone by the one who started it
            await _supporter(conn, j, keeper, "keeper")
    elif event_type == je.SUPPORTER_JOINED and seen.supporter_id is not None:
        await _supporter(conn, j, seen.supporter_id, seen.role)
    elif event_type == je.SUPPORTER_ROLE_CHANGED:  # of a supporter the inbox keeps (not of a journal gone)
        await conn.execute(
            "UPDATE supporters SET role = $3 WHERE journal_id = $1 AND supporter_id = $2",
            j,
            seen.supporter_id,
            seen.role,
        )
    elif event_type in (je.SUPPORTER_REMOVED, je.INVITATION_DECLINED):
        await conn.execute("DELETE FROM supporters WHERE journal_id = $1 AND supporter_id = $2", j, seen.supporter_id)
    elif event_type == je.HANDOVER_PROPOSED:
        await conn.execute("UPDATE journals SET proposed_by = $2 WHERE journal_id = $1", j, seen.proposed_by)
    elif event_type in (je.HANDOVER_ACCEPTED, je.HANDOVER_DECLINED):
        await conn.execute("UPDATE journals SET proposed_by = NULL WHERE journal_id = $1", j)


async def _supporter(conn: asyncpg.Connection, journal_id: UUID, supporter_id: UUID, role: str) -> None:
    await conn.execute(
        "INSERT INTO supporters (journal_id, supporter_id, role) VALUES ($1, $2, $3)"
        " ON CONFLICT (journal_id, supporter_id) DO UPDATE SET role = $3",
        journal_id,
        supporter_id,
        role,
    )
