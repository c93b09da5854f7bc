"""Read side of the stories service: SQL -> views, sealed text opened with each author's key, every
filter by the rules in ``services/stories/access.py``. A post whose author's key was erased is gone
from every view. Nothing here hands out a database row."""

from __future__ import annotations

from services.stories.queries.common import (
    decode_cursor,
    decode_queue_cursor,
    encode_queue_cursor,
    excerpt,
    member_of,
    who_of,
)
from services.stories.queries.export import export
from services.stories.queries.posts import feed, messages, mine, preferences, standing, story
from services.stories.queries.queue import audit, item, queue, queue_figures, templates

__all__ = [
    "audit", "decode_cursor", "decode_queue_cursor", "encode_queue_cursor", "excerpt", "export", "feed", "item",
    "member_of", "messages", "mine", "preferences", "queue", "queue_figures", "standing", "story", "templates",
    "who_of",
]  # fmt: skip
