"""Crisis items: a moderator reaches out to a writer who may be at risk, with a private and kind
message from a template moderators keep, and may hold the item back without rejecting it.
Pure; no I/O, no clock."""

from __future__ import annotations

import datetime as dt
import re
from typing import assert_never
from uuid import UUID

import msgspec

from services.stories import access
from services.stories.commands import Who
from services.stories.domain import Post, Seal, checked_text
from services.stories.events import PostEvent, PostHeld, ReachOutTemplateSaved, TemplateEvent, WriterReachedOut
from services.stories.moderation import require_moderator, require_unclaimed
from shared.contracts.stories import PERSONAL_MAX, TEMPLATE_MAX
from shared.contracts.stories import TEMPLATE_NAME_MAX as NAME_MAX
from shared.errors import Conflict, FieldError, Forbidden, Invalid, NotFound

# Markup of any kind: an HTML tag or entity, a Markdown link or image. Messages are plain text.
MARKUP = re.compile(r"<\s*/?\s*[A-Za-z!?]|&#?[A-Za-z0-9]+;|!?\[[^\]\n]*\]\([^)\n]*\)")


class Template(msgspec.Struct, frozen=True, kw_only=True):
    template_id: UUID
    name: str
    body: str


# What a new Small Wins starts with; a moderator's edit (an event under the same id) replaces one.
DEFAULT_TEMPLATES = (
    Template(
        template_id=UUID("6f1c1d2e-5b1a-4c53-9a55-000000000001"),
        name="Checking in",
        body=(
            "Hi, this is one of the moderators of Small Wins. We read what you wrote, and we wanted to say "
            "that we're glad you shared it and that we care how you are. You don't have to go through this "
            "alone. If you are thinking about ending your life or you are in danger now, please call or text "
            "a helpline (they are listed below) or your local emergency number. Only you can see this message."
        ),
    ),
    Template(
        template_id=UUID("6f1c1d2e-5b1a-4c53-9a55-000000000002"),
        name="Story held for now",
        body=(
            "Hi, this is one of the moderators. We have kept your story back from the feed for now. This is "
            "not a rejection, and nothing you did was wrong: we want to make sure you are all right first. "
            "If things feel too much, please reach a helpline below or someone you trust today. When you feel "
            "ready, you can change your story and send it again. Only you can see this message."
        ),
    ),
)


def evolve_template(state: Template | None, event: TemplateEvent) -> Template:
    match event:
        case ReachOutTemplateSaved():
            return Template(template_id=event.template_id, name=event.name, body=event.body)
        case _:
            assert_never(event)


def template_or_default(state: Template | None, template_id: UUID) -> Template | None:
    return state or next((t for t in DEFAULT_TEMPLATES if t.template_id == template_id), None)


def _plain(field: str, value: str, label: str, most: int, errors: list[FieldError]) -> str:
    """As the domain's own text check, and refused when it holds markup or links."""
    before = len(errors)
    value = checked_text(field, value, label, most, errors)
    if len(errors) == before and MARKUP.search(value):
        errors.append(FieldError(field=field, message=f"Please write {label} as plain text, without markup or links."))
    return value


def save_template(who: Who, template_id: UUID, name: str, body: str, now: dt.datetime) -> list[TemplateEvent]:
    """A moderator adds or edits a reach-out template: plain text only."""
    if not access.moderates(who):
        raise Forbidden("Only moderators can change the reach-out messages.")
    errors: list[FieldError] = []
    name = _plain("name", name, "a name", NAME_MAX, errors)
    body = _plain("body", body, "the message", TEMPLATE_MAX, errors)
    if errors:
        raise Invalid(errors[0].message, errors=tuple(errors))
    return [ReachOutTemplateSaved(template_id=template_id, name=name, body=body, saved_by=who.actor_id, saved_at=now)]


def _urgent(state: Post | None, who: Who, now: dt.datetime) -> Post:
    post = require_moderator(state, who)
    if not post.urgent:
        raise Conflict(f"This {post.kind} is not marked urgent; reaching out and holding are for crisis items.")
    require_unclaimed(post, who, now)
    return post


class ReachOut(msgspec.Struct, frozen=True, kw_only=True):
    moderator: Who
    message_id: UUID
    template: Template | None
    personal: str = ""  # a line of the moderator's own, added under the template
    now: dt.datetime


def reach_out(state: Post | None, cmd: ReachOut, seal: Seal) -> list[PostEvent]:
    """A private, kind message to the writer of an urgent post (sealed with the writer's key)."""
    post = _urgent(state, cmd.moderator, cmd.now)
    if cmd.template is None:
        raise NotFound("We couldn't find that message template.")
    errors: list[FieldError] = []
    personal = cmd.personal.strip()
    if personal:
        personal = _plain("personal", personal, "your own line", PERSONAL_MAX, errors)
    if errors:
        raise Invalid(errors[0].message, errors=tuple(errors))
    message = cmd.template.body + (f"\n\n{personal}" if personal else "")
    return [WriterReachedOut(
        item_id=post.item_id, message_id=cmd.message_id, author_id=post.author_id,
        moderator_id=cmd.moderator.actor_id, template_id=cmd.template.template_id,
        template_name=cmd.template.name, message=seal(message), reached_at=cmd.now,
    )]  # fmt: skip


def hold(state: Post | None, who: Who, now: dt.datetime) -> list[PostEvent]:
    """Keep an urgent post out of the feed for now; the writer may revise it, nothing is rejected."""
    post = _urgent(state, who, now)
    if post.status not in ("pending", "published"):
        raise Conflict(f"Only a {post.kind} waiting for review or published can be held.")
    if post.review == "appeal":
        raise Conflict("An appeal is waiting on this one: decide the appeal instead.")
    return [PostHeld(item_id=post.item_id, kind=post.kind, author_id=post.author_id, moderator_id=who.actor_id,
                     held_at=now)]  # fmt: skip
