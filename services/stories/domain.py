"""Stories and replies: a post's state, and what its author may do with it. Pure; no I/O, no clock.

A *post* is a story or a reply; both go through the same moderation (``moderation``); what only a
reply does is in ``replies``. Text is checked here in plain form and sealed by the handler's
``Seal`` only after every check has passed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import assert_never
from uuid import UUID

import msgspec

from services.stories import access
from services.stories.commands import ReviseStory, Screened, StoryText, SubmitStory, Who
from services.stories.events import (
    AppealDecided,
    AppealFiled,
    ChangesRequested,
    ClaimReleased,
    PostApproved,
    PostClaimed,
    PostEvent,
    PostHeld,
    PostHidden,
    PostPublished,
    PostRejected,
    PostRemoved,
    PostReported,
    PostWithdrawn,
    ReplyHiddenByAuthor,
    ReplySubmitted,
    ReportErased,
    StoryRevised,
    StorySubmitted,
    WriterReachedOut,
)
from shared.contracts.stories import BODY_MAX, STATEMENT_MAX, THEMES_MAX, TITLE_MAX
from shared.contracts.vocabulary import CONTENT_WARNINGS, RECOVERY_THEMES
from shared.errors import Conflict, FieldError, Invalid, NotFound

Seal = Callable[[str], str]
GONE = access.GONE
STATUS_WORDS = {
    "pending": "waiting for review",
    "changes_requested": "waiting for your changes",
    "published": "published",
    "rejected": "not approved",
    "removed": "removed",
    "withdrawn": "withdrawn",
    "held": "held back for now",
}
AT_RISK = "at-risk"  # the report reason that makes a post urgent, whatever its weight
CHANGED = "This changed since you opened it. What you wrote is kept: look it over and send it again."


class Post(msgspec.Struct, frozen=True, kw_only=True):
    item_id: UUID
    kind: str  # story | reply
    story_id: UUID  # the story itself, or the story a reply answers
    story_author_id: UUID
    author_id: UUID
    status: str
    urgent: bool
    review: str | None  # why it is in the moderation queue: new | post | reports | appeal
    claimed_by: UUID | None = None
    claim_until: dt.datetime | None = None
    reports: tuple[tuple[UUID, float], ...] = ()  # each report's reporter and weight
    weight: float = 0.0
    hidden: bool = False  # by reports, until a moderator decides
    hidden_by_author: bool = False  # a reply the story's author hid
    appealed: bool = False
    decided_by: UUID | None = None  # who rejected or removed it
    reached_out: int = 0  # private messages moderators sent the writer
    version: int = 0  # how many events its stream holds: what an edit names as the version it saw
    in_reply_to: UUID | None = None  # a reply answering another reply on the same story, and its author
    parent_author_id: UUID | None = None

    @property
    def reporters(self) -> frozenset[UUID]:
        return frozenset(reporter for reporter, _ in self.reports)

    @property
    def visible(self) -> bool:
        """Shown to readers (``access.public``)."""
        return access.public(self)


def _free(post: Post, **changes: object) -> Post:
    return msgspec.structs.replace(post, claimed_by=None, claim_until=None, **changes)


def evolve(state: Post | None, event: PostEvent) -> Post:
    post = _evolve(state, event)
    return msgspec.structs.replace(post, version=(state.version if state else 0) + 1)


def status_after(state: Post | None, events: Sequence[PostEvent]) -> str:
    """The post's status once ``events`` are applied: what its writer is told (published or pending)."""
    for event in events:
        state = evolve(state, event)
    return _require(state).status


def _evolve(state: Post | None, event: PostEvent) -> Post:
    if isinstance(event, StorySubmitted):
        return Post(
            item_id=event.item_id, kind="story", story_id=event.item_id, story_author_id=event.author_id,
            author_id=event.author_id, status="pending", urgent=event.urgent, review="post" if event.direct else "new",
        )  # fmt: skip
    if isinstance(event, ReplySubmitted):
        return Post(
            item_id=event.item_id, kind="reply", story_id=event.story_id, story_author_id=event.story_author_id,
            author_id=event.author_id, status="pending", urgent=event.urgent, review="post" if event.direct else "new",
            in_reply_to=event.in_reply_to, parent_author_id=event.parent_author_id,
        )  # fmt: skip
    post = _require(state)
    match event:
        case StoryRevised():
            return _free(post, status="pending", urgent=event.urgent, review="new")
        case PostClaimed():
            return msgspec.structs.replace(post, claimed_by=event.moderator_id, claim_until=event.until)
        case PostApproved():
            return _free(post, review=None, hidden=False)
        case PostPublished():
            return _free(post, status="published", hidden=False, review=post.review if post.review == "post" else None)
        case PostRejected():
            return _free(post, status="rejected", review=None, decided_by=event.moderator_id)
        case ChangesRequested():
            return _free(post, status="changes_requested", review=None)
        case PostRemoved():
            return _free(post, status="removed", review=None, decided_by=event.moderator_id)
        case PostWithdrawn():
            return _free(post, status="withdrawn", review=None)
        case PostReported():  # every report reaches a moderator; the weight only decides hiding
            return msgspec.structs.replace(
                post, reports=(*post.reports, (event.reporter_id, event.weight)), weight=post.weight + event.weight,
                review=post.review or "reports", urgent=post.urgent or event.reason == AT_RISK,
            )  # fmt: skip
        case PostHidden():
            return msgspec.structs.replace(post, hidden=True, review=post.review or "reports")
        case ReportErased():  # the reporter left: their weight goes (moderation.lift_report)
            return msgspec.structs.replace(
                post, reports=tuple(r for r in post.reports if r[0] != event.reporter_id), weight=post.weight - event.weight,
                hidden=post.hidden and not event.shown_again,
            )  # fmt: skip
        case ClaimReleased():
            return _free(post)
        case PostHeld():
            return _free(post, status="held", review=None, hidden=False)
        case WriterReachedOut():
            return msgspec.structs.replace(post, reached_out=post.reached_out + 1)
        case ReplyHiddenByAuthor():
            return msgspec.structs.replace(post, hidden_by_author=True)
        case AppealFiled():
            return _free(post, appealed=True, review="appeal")
        case AppealDecided():
            return _free(post, review=None)
        case _:
            assert_never(event)


def _require(state: Post | None) -> Post:
    if state is None:
        raise NotFound("We couldn't find that post.")
    return state


def _own(post: Post | None, who: Who) -> Post:
    """The actor's own post; someone else's is as good as missing (404, not 403)."""
    if post is None or not access.is_own(post, who):
        raise NotFound("We couldn't find that post.")
    return post


# --- checking what people wrote ----------------------------------------------------------


def checked_text(field: str, value: str, label: str, most: int, errors: list[FieldError]) -> str:
    value = value.strip()
    if not value:
        errors.append(FieldError(field=field, message=f"Please write {label}."))
    elif len(value) > most:
        errors.append(FieldError(field=field, message=f"Please keep {label} under {most:,} characters."))
    return value


def _story_text(text: StoryText, screened: Screened) -> StoryText:
    errors: list[FieldError] = []
    title = checked_text("title", text.title, "a title", TITLE_MAX, errors)
    body = checked_text("body", text.body, "your story", BODY_MAX, errors)
    if unknown := [t for t in text.themes if t not in RECOVERY_THEMES]:
        errors.append(FieldError(field="themes", message=f"Unknown theme {unknown[0]!r}; choose from the list."))
    if len(set(text.themes)) > THEMES_MAX:
        errors.append(FieldError(field="themes", message=f"Pick at most {THEMES_MAX} themes."))
    if unknown := [w for w in text.warnings if w not in CONTENT_WARNINGS]:
        errors.append(FieldError(field="warnings", message=f"Unknown warning {unknown[0]!r}; choose from the list."))
    refuse_personal(screened, errors)
    themes, warnings = tuple(dict.fromkeys(text.themes)), tuple(dict.fromkeys(text.warnings))
    return StoryText(title=title, body=body, themes=themes, warnings=warnings)


def refuse_personal(screened: Screened, errors: list[FieldError]) -> None:
    """Refuse the text (with every field's problem) while it holds personal details or other errors."""
    errors += [FieldError(field=f, message=m) for f, m in screened.personal.items()]
    if errors:
        raise Invalid(errors[0].message, errors=tuple(errors))


def submit_story(cmd: SubmitStory, seal: Seal) -> list[PostEvent]:
    text = _story_text(cmd.text, cmd.screened)
    direct = cmd.trusted and not cmd.screened.held_for_a_moderator
    submitted = StorySubmitted(
        item_id=cmd.item_id, author_id=cmd.author.actor_id, pseudonym=seal(cmd.pseudonym), title=seal(text.title),
        body=seal(text.body), themes=text.themes, warnings=text.warnings, urgent=cmd.screened.urgent,
        flags=cmd.screened.flags, direct=direct, submitted_at=cmd.now,
    )  # fmt: skip
    return [submitted, *([publish(evolve(None, submitted), cmd.now)] if direct else [])]


def publish(post: Post, now: dt.datetime) -> PostPublished:
    """The post reaches readers: its story, and for a reply that answers another, that reply and its author."""
    return PostPublished(
        item_id=post.item_id, kind=post.kind, story_id=post.story_id, story_author_id=post.story_author_id,
        author_id=post.author_id, published_at=now, in_reply_to=post.in_reply_to,
        parent_author_id=post.parent_author_id,
    )  # fmt: skip


def revise_story(state: Post | None, cmd: ReviseStory, seal: Seal) -> list[PostEvent]:
    post = _own(state, cmd.author)
    if post.kind != "story":
        raise NotFound("We couldn't find that story.")
    if cmd.expected_version is not None and cmd.expected_version != post.version:
        raise Conflict(CHANGED)
    if not access.may_revise(post, cmd.author):
        raise Conflict(f"This story can't be changed now: it is {STATUS_WORDS[post.status]}.")
    text = _story_text(cmd.text, cmd.screened)
    return [StoryRevised(
        item_id=post.item_id, author_id=post.author_id, title=seal(text.title), body=seal(text.body),
        themes=text.themes, warnings=text.warnings, urgent=cmd.screened.urgent, flags=cmd.screened.flags,
        revised_at=cmd.now,
    )]  # fmt: skip


def withdraw(state: Post | None, who: Who, now: dt.datetime) -> list[PostEvent]:
    """The author takes their story or reply down, at any time (but a removed one stays removed)."""
    post = _own(state, who)
    if post.status == "withdrawn":
        raise Conflict(f"You already withdrew this {post.kind}.")
    if post.status == "removed":
        raise Conflict(f"This {post.kind} was removed by a moderator; you can appeal the removal instead.")
    return [PostWithdrawn(item_id=post.item_id, kind=post.kind, author_id=post.author_id, withdrawn_at=now)]


def appeal(state: Post | None, who: Who, statement: str, now: dt.datetime, seal: Seal) -> list[PostEvent]:
    """Once per post, the author asks a different moderator to look again at a removal or rejection."""
    post = _own(state, who)
    if post.status not in access.APPEALABLE:
        raise Conflict(
            f"Only a removed or rejected {post.kind} can be appealed; this one is {STATUS_WORDS[post.status]}."
        )
    if post.appealed:
        raise Conflict(f"You already appealed this decision. Each {post.kind} can be appealed once.")
    errors: list[FieldError] = []
    text = checked_text("statement", statement, "why it should be looked at again", STATEMENT_MAX, errors)
    if errors:
        raise Invalid(errors[0].message, errors=tuple(errors))
    return [
        AppealFiled(item_id=post.item_id, kind=post.kind, author_id=post.author_id, statement=seal(text), filed_at=now)
    ]
