"""Reads of stories and replies as their readers and writers see them: SQL -> views, each limited
by the rules in ``services/stories/access.py``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from uuid import UUID

import asyncpg

from services.stories import access
from services.stories.commands import Who
from services.stories.queries.common import POST, Opened, S, encode_cursor, excerpt, facts
from services.stories.trust import Standing
from shared.contracts import stories as c

SUGGESTS = "suggests warning: "  # how a suggested warning is noted among the flags (handlers.screened)


async def standing(conn: asyncpg.Connection, member: UUID) -> Standing:
    """Since when the member is here (from accounts' events) and what their posts earned them."""
    row = await conn.fetchrow(
        f"SELECT (SELECT registered_at FROM {S}.people WHERE member_id = $1) AS registered_at,"
        f" t.approved, t.removed FROM (SELECT 1) one LEFT JOIN {S}.trust t ON t.member_id = $1",
        member,
    )
    return Standing(registered_at=row["registered_at"], approved=row["approved"] or 0, removed=row["removed"] or 0)


async def preferences(
    conn: asyncpg.Connection, member: UUID | None, protected: Sequence[str] = ()
) -> c.PreferencesView:
    """The reader's choice; until they make one, the ``protected`` warnings are blurred."""
    default = c.PreferencesView(blur=tuple(protected))
    if member is None:
        return default
    row = await conn.fetchrow(f"SELECT hide, blur FROM {S}.readers WHERE member_id = $1", member)
    return c.PreferencesView(hide=tuple(row["hide"]), blur=tuple(row["blur"]), chosen=True) if row else default


async def feed(
    conn: asyncpg.Connection, *, theme: str, after: tuple[dt.datetime, UUID] | None, prefs: c.PreferencesView,
    limit: int,
) -> c.FeedView:  # fmt: skip
    """Stories in the feed (``access.FEED_SQL``) newest first, a page of them after the cursor."""
    at, item = after or (None, None)
    rows = await conn.fetch(
        f"{POST} WHERE {access.FEED_SQL}"
        " AND ($1 = '' OR p.themes @> ARRAY[$1]) AND NOT (p.warnings && $2::text[])"
        " AND ($3::timestamptz IS NULL OR (p.published_at, p.item_id) < ($3, $4))"
        " ORDER BY p.published_at DESC, p.item_id DESC LIMIT $5",
        theme, list(prefs.hide), at, item, limit + 1,
    )  # fmt: skip
    more, rows = len(rows) > limit, rows[:limit]
    items = tuple(
        c.StoryCard(
            id=r["item_id"], pseudonym=text.name(), title=text["title"], excerpt=excerpt(text["body"]),
            themes=tuple(r["themes"]), warnings=tuple(r["warnings"]), published_at=r["published_at"],
            blurred=bool(set(r["warnings"]) & set(prefs.blur)),
        )
        for r, text in ((r, Opened(r)) for r in rows)
    )  # fmt: skip
    cursor = encode_cursor(rows[-1]["published_at"], rows[-1]["item_id"]) if more and rows else None
    return c.FeedView(items=items, next_cursor=cursor, theme=theme, hide=prefs.hide, blur=prefs.blur)


async def story(
    conn: asyncpg.Connection, story_id: UUID, who: Who | None, prefs: c.PreferencesView
) -> c.StoryView | None:
    """A story with the replies listed under it, or None when the reader may not see it."""
    row = await conn.fetchrow(f"{POST} WHERE p.item_id = $1", story_id)
    post = facts(row) if row else None
    if row is None or post is None or not access.may_see(post, who) or post.kind != "story":
        return None
    mine, reader = access.is_own(post, who), who.actor_id if who else None
    replies = await conn.fetch(
        f"{POST} WHERE p.kind = 'reply' AND p.story_id = $1 AND {access.listed_sql('$2::uuid', '$3')}"
        " ORDER BY p.submitted_at LIMIT 500",
        story_id, reader, access.insider(post.author_id, who),
    )  # fmt: skip
    counts = await _counts(conn, story_id) if mine else {}
    sent = await _sent(conn, story_id, reader) if reader else ()
    insider = mine or access.moderates(who)
    text = Opened(row)
    return c.StoryView(
        id=row["item_id"], pseudonym=text.name(), title=text["title"], body=text["body"],
        themes=tuple(row["themes"]), warnings=tuple(row["warnings"]), status=row["status"],
        submitted_at=row["submitted_at"], published_at=row["published_at"], mine=mine, counts=counts, sent=sent,
        replies=_thread(replies, who, access.may_reply(post, who)), reason=row["reason"] if insider else "",
        guidance=row["guidance"] if insider else "", appealed=row["appealed"] if insider else False,
        urgent=row["urgent"] if insider else False,
        blurred=not mine and bool(set(row["warnings"]) & {*prefs.hide, *prefs.blur}),
        suggested=_suggested(row["flags"], row["warnings"]) if mine else (), version=row["version"],
        can_revise=access.may_revise(post, who), can_withdraw=access.may_withdraw(post, who),
        can_encourage=access.may_encourage(post, who), can_reply=access.may_reply(post, who),
        can_report=access.may_report(post, who), can_moderate=access.may_moderate(post, who),
    )  # fmt: skip


def _thread(rows: Sequence[asyncpg.Record], who: Who | None, takes: bool) -> tuple[c.ReplyView, ...]:
    """The replies a reader sees (oldest first), one level deep: each reply that answers another
    follows the thread of the earliest reply it leads back to; one whose reply this reader cannot
    see stands on its own, still labelled. ``takes``: the story takes replies from this reader."""
    listed = {r["item_id"]: r for r in rows}
    threads: dict[UUID, list[asyncpg.Record]] = {}
    for r in rows:
        top = r
        for _ in listed:  # a chain of answers is never longer than the replies listed
            if top["in_reply_to"] not in listed:
                break
            top = listed[top["in_reply_to"]]
        threads.setdefault(top["item_id"], []).append(r)
    return tuple(
        _reply(r, who, listed.get(r["in_reply_to"]), nested=r is not thread[0], takes=takes)
        for thread in threads.values()
        for r in thread
    )


def _reply(
    r: asyncpg.Record, who: Who | None, parent: asyncpg.Record | None, *, nested: bool, takes: bool
) -> c.ReplyView:
    reply, text = facts(r), Opened(r)
    return c.ReplyView(
        id=r["item_id"], pseudonym=text.name(), body=text["body"], status=r["status"],
        submitted_at=r["submitted_at"], mine=access.is_own(reply, who), hidden_by_author=r["hidden_by_author"],
        in_reply_to=r["in_reply_to"], in_reply_to_pseudonym=Opened(parent).name() if parent else "", nested=nested,
        can_hide=access.offers_hide(reply, who), can_report=access.may_report(reply, who),
        can_answer=takes and access.may_answer(reply, who),
    )  # fmt: skip


def _suggested(flags: list[str], chosen: list[str]) -> tuple[str, ...]:
    """The warnings screening suggested that the author has not picked (shown when they revise)."""
    found = (f.removeprefix(SUGGESTS) for f in flags if f.startswith(SUGGESTS))
    return tuple(w for w in dict.fromkeys(found) if w not in chosen and w in c.WARNINGS)


async def _counts(conn: asyncpg.Connection, story: UUID) -> dict[str, int]:
    rows = await conn.fetch(f"SELECT kind, count(*) FROM {S}.encouragements WHERE story_id = $1 GROUP BY kind", story)
    return {r["kind"]: r["count"] for r in rows}


async def _sent(conn: asyncpg.Connection, story: UUID, reader: UUID) -> tuple[str, ...]:
    rows = await conn.fetch(
        f"SELECT kind FROM {S}.encouragements WHERE story_id = $1 AND reader_id = $2 ORDER BY kind", story, reader
    )
    return tuple(r["kind"] for r in rows)


async def mine(conn: asyncpg.Connection, who: Who) -> c.MineView:
    """What the member wrote, most recently changed first, with what they may still do with it."""
    rows = await conn.fetch(f"{POST} WHERE p.author_id = $1 ORDER BY p.updated_at DESC LIMIT 200", who.actor_id)
    return c.MineView(items=tuple(_submission(r, who) for r in rows))


def _submission(r: asyncpg.Record, who: Who) -> c.Submission:
    text, post = Opened(r), facts(r)
    body = text["body"]
    return c.Submission(
        id=r["item_id"], kind=r["kind"], story_id=r["story_id"], title=excerpt(text["title"] or body)[:120],
        excerpt=excerpt(body), status=r["status"], urgent=r["urgent"],
        reason=r["reason"], guidance=r["guidance"], appealed=r["appealed"], appeal_note=r["appeal_note"],
        hidden=r["hidden"], updated_at=r["updated_at"], version=r["version"],
        can_revise=access.may_revise(post, who), can_withdraw=access.may_withdraw(post, who),
        can_appeal=access.may_appeal(post, who, r["appealed"]),
    )  # fmt: skip


async def messages(conn: asyncpg.Connection, member: UUID, limit: int = 20) -> c.MessagesView:
    """Private messages moderators sent this member, newest first, with the post they are about."""
    rows = await conn.fetch(
        f"SELECT m.message_id, m.item_id, m.body, m.sent_at, p.kind, p.title, p.author_id, k.key"
        f" FROM {S}.messages m JOIN {S}.posts p ON p.item_id = m.item_id"
        f" JOIN {S}.member_keys k ON k.member_id = m.member_id"
        " WHERE m.member_id = $1 ORDER BY m.sent_at DESC LIMIT $2",
        member, limit,
    )  # fmt: skip
    return c.MessagesView(items=tuple(
        c.MessageView(
            id=r["message_id"], item_id=r["item_id"], kind=r["kind"], title=text["title"], body=text["body"],
            sent_at=r["sent_at"],
        )
        for r, text in ((r, Opened(r)) for r in rows)
    ))  # fmt: skip
