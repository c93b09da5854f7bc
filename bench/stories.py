"""Data for the peer-feed pages: 100,000 published stories by 10,000 authors, 1,000,000
encouragements and 10,000 stories waiting for review, plus moderators among the signed-in members
(``scale`` multiplies every count but the moderators; the growth figures use 10).

Stories and the queue are written straight into the stories service's read models (with text
sealed by each author's key, as the service stores it): the pages read only those, and writing
them through the event store would take most of the run. Encouragements are made by one SQL
statement (each a random published story, a new reader and a random kind), as fast at ten million
as the story rows are at one. Moderators are granted through the accounts service's own events,
so their sessions carry the role as in production.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid

import asyncpg

from bench.seed import _append
from services.accounts.events import REGISTRY as ACCOUNTS
from services.accounts.events import RoleGranted, member_stream
from services.accounts.handlers import token_hash
from services.accounts.projections import PROJECTIONS as ACCOUNT_MODELS
from shared.contracts.vocabulary import RECOVERY_THEMES
from shared.crypto import key_ring, new_key, seal
from shared.eventstore.store import ANY, EventStore

AUTHORS, STORIES, ENCOURAGEMENTS, PENDING, MODERATORS = 10_000, 100_000, 1_000_000, 10_000, 20
TITLES = ("The morning I opened the curtains", "Back at the peer group", "A walk around the block", "Cooking again")
BODY = (
    "For weeks the curtains stayed shut. On Tuesday I opened them before coffee. There was a bad week in "
    "between, and I didn't pretend there wasn't. My journal says I had four good days out of seven.\n\n"
    "If you're in the middle of it: small counts."
)
COLUMNS = (
    "item_id", "kind", "story_id", "story_author_id", "author_id", "pseudonym", "title", "body", "themes", "warnings",
    "status", "urgent", "review", "queued_at", "submitted_at", "updated_at", "published_at",
)  # fmt: skip


# each encouragement: a random one of the $1 published stories, a new reader, a random kind;
# written in the primary key's order, so that its index grows at its end
CHEERS = (
    "INSERT INTO stories.encouragements (story_id, reader_id, kind)"
    " SELECT s.item_id, gen_random_uuid(), (ARRAY['proud', 'me-too', 'helped'])[1 + floor(random() * 3)::int]"
    " FROM (SELECT 1 + floor(random() * $1)::bigint AS n FROM generate_series(1, $2) OFFSET 0) c"
    " JOIN (SELECT item_id, row_number() OVER () AS n FROM stories.posts"
    "  WHERE kind = 'story' AND status = 'published') s USING (n)"
    " ORDER BY s.item_id ON CONFLICT DO NOTHING"
)


async def seed_stories(database_url: str, tokens: list[str], scale: int = 1) -> tuple[list[uuid.UUID], list[str]]:
    """Returns the published story ids, and the session tokens of moderators."""
    rng = random.Random(11)
    now = dt.datetime.now(dt.UTC)
    themes = list(RECOVERY_THEMES)
    conn = await asyncpg.connect(database_url, server_settings={"search_path": "accounts, public"})  # its projections
    try:
        authors = [(uuid.uuid4(), new_key()) for _ in range(AUTHORS * scale)]
        wrapped = [(author, key_ring().wrap(key, author)) for author, key in authors]  # as the service stores them
        await conn.copy_records_to_table(
            "member_keys", schema_name="stories", records=wrapped, columns=("member_id", "key")
        )
        sealed = [(seal(key, rng.choice(TITLES), author), seal(key, BODY, author)) for author, key in authors]
        published, rows = [], []
        for n in range((STORIES + PENDING) * scale):
            a = n % len(authors)
            item, at = uuid.uuid4(), now - dt.timedelta(minutes=n)
            pending = n >= STORIES * scale
            warnings = ["grief"] if n % 10 == 0 else []
            rows.append((
                item, "story", item, authors[a][0], authors[a][0], f"Member {a}", *sealed[a], rng.sample(themes, 2),
                warnings, "pending" if pending else "published", n % 500 == 0 and pending, "new" if pending else None,
                at if pending else None, at, at, None if pending else at,
            ))  # fmt: skip
            if not pending:
                published.append(item)
        await conn.copy_records_to_table("posts", schema_name="stories", records=rows, columns=COLUMNS)
        await conn.execute(CHEERS, len(published), ENCOURAGEMENTS * scale)
        await conn.execute("ANALYZE stories.posts; ANALYZE stories.encouragements")
        return published, await _moderators(conn, tokens[:MODERATORS], now)
    finally:
        await conn.close()


async def _moderators(conn: asyncpg.Connection, tokens: list[str], now: dt.datetime) -> list[str]:
    store = EventStore("accounts", ACCOUNTS)
    for token in tokens:
        member = await conn.fetchval("SELECT member_id FROM accounts.sessions WHERE token_hash = $1", token_hash(token))
        granted = RoleGranted(member_id=member, role="moderator", granted_at=now)
        async with conn.transaction():
            await _append(conn, store, ACCOUNT_MODELS, member_stream(member), [granted], expected=ANY)
    return tokens
