"""Who may see and act on a story or reply: every access rule of the stories service, once.

Pure; no I/O. The domain refuses with these rules, the read side filters and sets a view's
``can_*`` flags with them, and templates only read the flags. Where a read filters in SQL, the SQL
twin of a rule sits right beside it; an integration test holds the two equal on real PostgreSQL
over every combination of reader and post.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Protocol
from uuid import UUID

MODERATOR_ROLES = frozenset({"moderator", "admin"})
REVISABLE = ("pending", "changes_requested", "held")  # a story its author may still change
GONE = ("withdrawn", "removed")  # taken down for good (a removal can be appealed)
APPEALABLE = ("removed", "rejected")


class Actor(Protocol):
    """Who acts or reads: a signed-in member and their roles (``None`` for a visitor)."""

    @property
    def actor_id(self) -> UUID: ...
    @property
    def roles(self) -> frozenset[str]: ...


class Facts(Protocol):
    """What the rules need to know of a post (the aggregate and a read-model row both have it)."""

    @property
    def kind(self) -> str: ...
    @property
    def author_id(self) -> UUID: ...
    @property
    def story_author_id(self) -> UUID: ...
    @property
    def status(self) -> str: ...
    @property
    def hidden(self) -> bool: ...
    @property
    def hidden_by_author(self) -> bool: ...


def is_moderator(roles: Collection[str]) -> bool:
    return bool(MODERATOR_ROLES & set(roles))


def moderates(who: Actor | None) -> bool:
    return who is not None and is_moderator(who.roles)


def is_own(post: Facts | None, who: Actor | None) -> bool:
    return post is not None and who is not None and post.author_id == who.actor_id


def public(post: Facts) -> bool:
    """Shown to readers: published, and hidden neither by reports nor by the story's author."""
    return post.status == "published" and not post.hidden and not post.hidden_by_author


# --- seeing ------------------------------------------------------------------------------------


def may_see(post: Facts | None, who: Actor | None) -> bool:
    """Readers see what is public (a visitor only stories); authors their own; moderators everything."""
    if post is None:
        return False
    if moderates(who) or is_own(post, who):
        return True
    return public(post) and (post.kind == "story" or who is not None)


def in_feed(post: Facts) -> bool:
    """A story in the feed (what ``FEED_SQL`` selects, over the partial index of visible stories)."""
    return post.kind == "story" and post.status == "published" and not post.hidden


# The SQL twin of ``in_feed``; ``p`` is the posts table. Spelled as the feed's partial index is.
FEED_SQL = "p.kind = 'story' AND p.status = 'published' AND NOT p.hidden"


def insider(story_author_id: UUID, who: Actor | None) -> bool:
    """The story's author and moderators also see the replies the author hid."""
    return moderates(who) or (who is not None and who.actor_id == story_author_id)


def listed(reply: Facts, who: Actor | None) -> bool:
    """A reply listed under its story: one's own, or published and not hidden by reports; one the
    story's author hid only for insiders."""
    if is_own(reply, who):
        return True
    return (
        reply.status == "published"
        and not reply.hidden
        and (insider(reply.story_author_id, who) or not reply.hidden_by_author)
    )


def listed_sql(reader: str, insider: str) -> str:
    """The SQL twin of ``listed``: ``reader`` is the reader's id (NULL for a visitor) and ``insider``
    the value of ``insider(...)``, as SQL expressions; ``p`` is the posts table."""
    return (
        f"(p.author_id IS NOT DISTINCT FROM {reader} OR (p.status = 'published' AND NOT p.hidden"
        f" AND ({insider} OR NOT p.hidden_by_author)))"
    )


# --- acting ------------------------------------------------------------------------------------


def may_revise(post: Facts | None, who: Actor | None) -> bool:
    return is_own(post, who) and post is not None and post.kind == "story" and post.status in REVISABLE


def may_withdraw(post: Facts | None, who: Actor | None) -> bool:
    return is_own(post, who) and post is not None and post.status not in GONE


def may_appeal(post: Facts | None, who: Actor | None, appealed: bool) -> bool:
    return is_own(post, who) and post is not None and post.status in APPEALABLE and not appealed


def takes_replies(story: Facts) -> bool:
    return story.kind == "story" and public(story)


def may_reply(story: Facts, who: Actor | None) -> bool:
    return who is not None and takes_replies(story)


def may_answer(reply: Facts, who: Actor | None) -> bool:
    """A reply one may answer with a reply of one's own: one shown to readers, or one's own that is
    not taken down (the story must take replies too: ``may_reply``)."""
    return (
        who is not None and reply.kind == "reply" and (public(reply) or is_own(reply, who)) and reply.status not in GONE
    )


def may_encourage(story: Facts, who: Actor | None) -> bool:
    return who is not None and story.kind == "story" and public(story) and not is_own(story, who)


def may_report(post: Facts, who: Actor | None) -> bool:
    return who is not None and public(post) and not is_own(post, who)


def may_hide(reply: Facts, who: Actor | None) -> bool:
    """Only the story's author hides a reply on it, once."""
    return (
        who is not None and reply.kind == "reply" and reply.story_author_id == who.actor_id
        and not reply.hidden_by_author
    )  # fmt: skip


def offers_hide(reply: Facts, who: Actor | None) -> bool:
    """The story's page offers hiding on others' replies (one's own is withdrawn instead)."""
    return may_hide(reply, who) and not is_own(reply, who)


def may_moderate(post: Facts | None, who: Actor | None) -> bool:
    """Moderators decide on anyone's post but their own."""
    return moderates(who) and post is not None and not is_own(post, who)


def judges_own_decision(decided_by: UUID | None, review: str | None, moderator: UUID | None) -> bool:
    """The moderator whose decision is appealed can neither claim nor decide the appeal."""
    return review == "appeal" and decided_by is not None and decided_by == moderator
