"""The access rules' SQL twins select exactly what their Python rules allow, on real PostgreSQL,
over every combination of reader and post; and a revision names the version its author saw."""

from __future__ import annotations

import itertools
from uuid import UUID, uuid4

import asyncpg
import pytest

from services.stories import access
from services.stories.commands import Who
from services.stories.queries.common import Facts
from shared.bus.rpc import ServiceClient
from shared.contracts import stories as s
from shared.errors import Conflict
from shared.settings import Settings
from tests.support.stories import Teller

pytestmark = pytest.mark.integration
ANA, BO, MO = uuid4(), uuid4(), uuid4()  # the story's author, another member, a moderator
READERS: dict[str, Who | None] = {
    "story author": Who(actor_id=ANA),
    "reader": Who(actor_id=BO),
    "moderator": Who(actor_id=MO, roles=frozenset({"moderator"})),
    "admin": Who(actor_id=uuid4(), roles=frozenset({"admin"})),
    "signed out": None,
}
STATUSES = ("pending", "changes_requested", "published", "rejected", "removed", "withdrawn", "held")
POSTS = [
    Facts(kind=kind, author_id=author, story_author_id=ANA, status=status, hidden=hidden, hidden_by_author=by_author)
    for kind, author, status, hidden, by_author in itertools.product(
        ("story", "reply"), (ANA, BO, MO), STATUSES, (False, True), (False, True)
    )
    if kind == "reply" or (author == ANA and not by_author)  # a story is its author's; only replies are hidden by one
]
_ROWS = (
    "FROM unnest($1::text[], $2::uuid[], $3::uuid[], $4::text[], $5::bool[], $6::bool[], $7::bool[])"
    " WITH ORDINALITY AS p(kind, author_id, story_author_id, status, hidden, hidden_by_author, insider, n)"
)


async def _selected(conn: asyncpg.Connection, predicate: str, who: Who | None) -> list[bool]:
    """What ``predicate`` says of every post in ``POSTS``, for ``who`` (as $8)."""
    columns = [
        [p.kind for p in POSTS], [p.author_id for p in POSTS], [p.story_author_id for p in POSTS],
        [p.status for p in POSTS], [p.hidden for p in POSTS], [p.hidden_by_author for p in POSTS],
        [access.insider(p.story_author_id, who) for p in POSTS],
    ]  # fmt: skip
    rows = await conn.fetch(
        f"SELECT ({predicate}) IS TRUE AS yes {_ROWS} WHERE $8::uuid IS NULL OR true ORDER BY n",  # $8 typed always
        *columns, who.actor_id if who else None,
    )  # fmt: skip
    return [r["yes"] for r in rows]


async def test_the_sql_of_each_read_rule_agrees_with_its_python_rule(database_url: str) -> None:
    conn = await asyncpg.connect(database_url)
    try:
        for name, who in READERS.items():
            listed = await _selected(conn, access.listed_sql("$8::uuid", "p.insider"), who)
            replies = [(p, yes) for p, yes in zip(POSTS, listed, strict=True) if p.kind == "reply"]
            assert [yes for _, yes in replies] == [access.listed(p, who) for p, _ in replies], name
        in_feed = await _selected(conn, access.FEED_SQL, None)
        assert in_feed == [access.in_feed(p) for p in POSTS]
    finally:
        await conn.close()
    assert any(in_feed) and not all(in_feed)


@pytest.mark.parametrize("reader", list(READERS))
def test_only_insiders_see_what_is_not_public(reader: str) -> None:
    who = READERS[reader]
    for post in POSTS:
        seen = access.may_see(post, who)
        if access.public(post):
            assert seen == (post.kind == "story" or who is not None)
        else:
            assert seen == (access.moderates(who) or (who is not None and post.author_id == who.actor_id))


async def _version(settings: Settings, item: UUID) -> int:
    conn = await asyncpg.connect(settings.database_url)
    try:
        found = await conn.fetchval(
            "SELECT max(stream_version) FROM stories.events WHERE stream_id = $1", f"post-{item}"
        )
        return int(found)
    finally:
        await conn.close()


async def test_a_revision_made_on_an_older_version_is_refused_and_changes_nothing(
    client: ServiceClient, settings: Settings
) -> None:
    ana, mod = Teller(client, "Ana"), Teller(client, "Mo", "moderator")
    posted = await ana.submit("Hard week", "Still here.")
    opened = await ana.call("story", s.StoryView, story_id=posted.id)
    assert opened.version == await _version(settings, posted.id) == 1
    await mod.call("claim", s.Done, item_id=posted.id)  # a moderator looks at it meanwhile
    revision = {"title": "Hard week", "body": "Better today."}
    with pytest.raises(Conflict) as changed:
        await ana.call("revise", s.Posted, story_id=posted.id, expected_version=opened.version, story=revision)
    assert "changed since you opened it" in changed.value.message
    now = await ana.call("story", s.StoryView, story_id=posted.id)
    assert now.body == "Still here." and now.version == await _version(settings, posted.id) == 2
    await ana.call("revise", s.Posted, story_id=posted.id, expected_version=now.version, story=revision)
    after = await ana.call("story", s.StoryView, story_id=posted.id)
    assert after.body == "Better today." and after.version == await _version(settings, posted.id) == 3
