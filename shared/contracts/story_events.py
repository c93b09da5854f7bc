"""What another service may read of the stories events it follows: ids, kinds and the moderators'
reasons, never a story's or a reply's text (sealed in the events, and not named here). Tied to
the stories registry by tests/unit/notifications/test_followed_events.py."""

from __future__ import annotations

from uuid import UUID

import msgspec

STORY_SUBMITTED = "stories.story_submitted.v1"
REPLY_SUBMITTED = "stories.reply_submitted.v1"
ENCOURAGED = "stories.encouraged.v1"
POST_APPROVED = "stories.post_approved.v1"
POST_PUBLISHED = "stories.post_published.v1"
POST_REJECTED = "stories.post_rejected.v1"
CHANGES_REQUESTED = "stories.changes_requested.v1"
POST_REMOVED = "stories.post_removed.v1"
APPEAL_DECIDED = "stories.appeal_decided.v1"
WRITER_REACHED_OUT = "stories.writer_reached_out.v1"
FOR_NOTIFICATIONS = (
    STORY_SUBMITTED, REPLY_SUBMITTED, ENCOURAGED, POST_APPROVED, POST_PUBLISHED, POST_REJECTED,
    CHANGES_REQUESTED, POST_REMOVED, APPEAL_DECIDED, WRITER_REACHED_OUT,
)  # fmt: skip
"""The stories events the inbox follows. Reports and hiding are never among them: an author is
not told that someone reported them (``stories.post_reported``, ``stories.post_hidden``)."""


class PostSeen(msgspec.Struct, frozen=True, kw_only=True):
    """A story or a reply, and what happened to it. ``story_id`` is the story a reply answers
    (a story's own events lack it); ``parent_author_id`` the writer of the reply a reply answers
    (None for a reply to the story, and in events written before replies could answer replies);
    ``reason`` and ``guidance`` are a moderator's words to the author."""

    item_id: UUID
    author_id: UUID
    kind: str = "story"
    story_id: UUID | None = None
    story_author_id: UUID | None = None
    parent_author_id: UUID | None = None
    reason: str = ""
    guidance: str = ""
    upheld: bool = True


class EncouragementSeen(msgspec.Struct, frozen=True, kw_only=True):
    story_id: UUID
    story_author_id: UUID
    reader_id: UUID
    kind: str
