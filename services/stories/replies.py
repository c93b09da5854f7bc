"""What only a reply does: answering a story, or another reply on the same story, and being hidden
by the story's author. Pure; no I/O, no clock. Threads are one level deep on display; a reply
names the reply it answers (``in_reply_to``), and its author hears of the answer once it is
published (docs/adr/0032-replies-to-replies.md)."""

from __future__ import annotations

import datetime as dt

from services.stories import access
from services.stories.commands import SubmitReply, Who
from services.stories.domain import GONE, Post, Seal, checked_text, evolve, publish, refuse_personal
from services.stories.events import PostEvent, ReplyHiddenByAuthor, ReplySubmitted
from shared.contracts.stories import REPLY_MAX
from shared.errors import Conflict, FieldError, Forbidden, Invalid, NotFound

NOT_THIS_STORY = "You can only answer a reply on this story."


def answered(story: Post, parent: Post | None, who: Who) -> Post:
    """The reply a new reply answers: a reply on the same story that the replier can see (shown to
    readers, or their own). One they cannot see is not found, whether it exists or not."""
    if parent is None or not (access.public(parent) or access.is_own(parent, who)):
        raise NotFound("We couldn't find the reply you are answering. It may have been taken down.")
    if parent.kind != "reply" or parent.story_id != story.item_id:
        raise Invalid(NOT_THIS_STORY, errors=(FieldError(field="in_reply_to", message=NOT_THIS_STORY),))
    if not access.may_answer(parent, who):
        raise Conflict(f"That reply was {parent.status}, so it can't be answered.")
    return parent


def submit_reply(story: Post | None, cmd: SubmitReply, seal: Seal, parent: Post | None = None) -> list[PostEvent]:
    """A reply to ``story``; with ``cmd.in_reply_to``, an answer to ``parent`` (that reply, as loaded)."""
    if story is None or story.kind != "story" or (story.status not in GONE and not access.takes_replies(story)):
        raise NotFound("We couldn't find that story.")
    if story.status in GONE:
        raise Conflict(f"This story was {story.status}, so it no longer takes replies.")
    answers = answered(story, parent, cmd.author) if cmd.in_reply_to is not None else None
    errors: list[FieldError] = []
    body = checked_text("body", cmd.body, "a reply", REPLY_MAX, errors)
    refuse_personal(cmd.screened, errors)
    direct = cmd.trusted and not cmd.screened.held_for_a_moderator
    submitted = ReplySubmitted(
        item_id=cmd.item_id, story_id=story.item_id, story_author_id=story.author_id, author_id=cmd.author.actor_id,
        pseudonym=seal(cmd.pseudonym), body=seal(body), urgent=cmd.screened.urgent, flags=cmd.screened.flags,
        direct=direct, submitted_at=cmd.now, in_reply_to=answers.item_id if answers else None,
        parent_author_id=answers.author_id if answers else None,
    )  # fmt: skip
    return [submitted, *([publish(evolve(None, submitted), cmd.now)] if direct else [])]


def hide_reply(state: Post | None, who: Who, now: dt.datetime) -> list[PostEvent]:
    """The author of a story hides a reply on it."""
    story_author = state is not None and state.story_author_id == who.actor_id
    if state is None or state.kind != "reply" or not (access.public(state) or story_author):
        raise NotFound("We couldn't find that reply.")
    if state.hidden_by_author and story_author:
        raise Conflict("You already hid this reply.")
    if not access.may_hide(state, who):
        raise Forbidden("Only the author of the story can hide replies on it.")
    return [ReplyHiddenByAuthor(item_id=state.item_id, story_id=state.story_id, hidden_by=who.actor_id, hidden_at=now)]
