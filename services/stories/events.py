"""Events of the stories service. Story and reply text, and the author's pseudonym, are sealed with
the author's key before they become an event (events written before erasure was built hold the
pseudonym in clear, docs/adr/0036-erasure-in-the-feed.md); events other services consume carry ids,
never text. Tags are stable."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from shared.messages import Event, EventRegistry

# --- posts: a story or a reply, and what moderation does to it ------------------------------


class StorySubmitted(Event, tag="stories.story_submitted.v1", frozen=True, kw_only=True):
    item_id: UUID
    author_id: UUID
    pseudonym: str  # sealed (in clear in events from before erasure)
    title: str  # sealed
    body: str  # sealed
    themes: tuple[str, ...]
    warnings: tuple[str, ...]
    urgent: bool
    flags: tuple[str, ...] = ()  # why screening noticed it, for moderators
    direct: bool  # a trusted author publishes at once (post-moderation)
    submitted_at: dt.datetime


class StoryRevised(Event, tag="stories.story_revised.v1", frozen=True, kw_only=True):
    item_id: UUID
    author_id: UUID
    title: str  # sealed
    body: str  # sealed
    themes: tuple[str, ...]
    warnings: tuple[str, ...]
    urgent: bool
    flags: tuple[str, ...] = ()
    revised_at: dt.datetime


class ReplySubmitted(Event, tag="stories.reply_submitted.v1", frozen=True, kw_only=True):
    item_id: UUID
    story_id: UUID
    story_author_id: UUID
    author_id: UUID
    pseudonym: str  # sealed (in clear in events from before erasure)
    body: str  # sealed
    urgent: bool
    flags: tuple[str, ...] = ()
    direct: bool
    submitted_at: dt.datetime
    in_reply_to: UUID | None = None  # the reply on the same story that this one answers
    parent_author_id: UUID | None = None  # who wrote that reply (they hear of the answer once it is published)


class PostClaimed(Event, tag="stories.post_claimed.v1", frozen=True, kw_only=True):
    item_id: UUID
    moderator_id: UUID
    until: dt.datetime
    claimed_at: dt.datetime


class ClaimReleased(Event, tag="stories.claim_released.v1", frozen=True, kw_only=True):
    item_id: UUID
    moderator_id: UUID
    released_at: dt.datetime


class PostHeld(Event, tag="stories.post_held.v1", frozen=True, kw_only=True):
    """A moderator keeps a post out of the feed for now (a crisis item); not a rejection."""

    item_id: UUID
    kind: str
    author_id: UUID
    moderator_id: UUID
    held_at: dt.datetime


class WriterReachedOut(Event, tag="stories.writer_reached_out.v1", frozen=True, kw_only=True):
    """A moderator sent the writer of an urgent post a private, kind message with helplines."""

    item_id: UUID
    message_id: UUID
    author_id: UUID
    moderator_id: UUID
    template_id: UUID
    template_name: str
    message: str  # sealed with the writer's key
    reached_at: dt.datetime


class PostApproved(Event, tag="stories.post_approved.v1", frozen=True, kw_only=True):
    item_id: UUID
    kind: str
    author_id: UUID
    moderator_id: UUID
    approved_at: dt.datetime


class PostPublished(Event, tag="stories.post_published.v1", frozen=True, kw_only=True):
    item_id: UUID
    kind: str
    story_id: UUID  # the story itself, or the story a reply answers
    story_author_id: UUID
    author_id: UUID
    published_at: dt.datetime
    in_reply_to: UUID | None = None  # a reply answering another reply: that reply, and its author
    parent_author_id: UUID | None = None


class PostRejected(Event, tag="stories.post_rejected.v1", frozen=True, kw_only=True):
    item_id: UUID
    kind: str
    author_id: UUID
    moderator_id: UUID
    reason: str
    guidance: str = ""
    rejected_at: dt.datetime


class ChangesRequested(Event, tag="stories.changes_requested.v1", frozen=True, kw_only=True):
    item_id: UUID
    author_id: UUID
    moderator_id: UUID
    reason: str
    guidance: str = ""
    requested_at: dt.datetime


class PostRemoved(Event, tag="stories.post_removed.v1", frozen=True, kw_only=True):
    item_id: UUID
    kind: str
    author_id: UUID
    moderator_id: UUID
    reason: str
    guidance: str = ""
    removed_at: dt.datetime


class PostWithdrawn(Event, tag="stories.post_withdrawn.v1", frozen=True, kw_only=True):
    item_id: UUID
    kind: str
    author_id: UUID
    withdrawn_at: dt.datetime


class PostReported(Event, tag="stories.post_reported.v1", frozen=True, kw_only=True):
    item_id: UUID
    kind: str
    reporter_id: UUID
    reason: str  # "at-risk" makes the post urgent, whatever the weight
    weight: float
    note: str = ""  # sealed with the reporter's key; for moderators only
    reported_at: dt.datetime


class PostHidden(Event, tag="stories.post_hidden.v1", frozen=True, kw_only=True):
    """Reports crossed the threshold: hidden until a moderator decides."""

    item_id: UUID
    kind: str
    weight: float
    hidden_at: dt.datetime


class ReplyHiddenByAuthor(Event, tag="stories.reply_hidden_by_author.v1", frozen=True, kw_only=True):
    item_id: UUID
    story_id: UUID
    hidden_by: UUID
    hidden_at: dt.datetime


class AppealFiled(Event, tag="stories.appeal_filed.v1", frozen=True, kw_only=True):
    item_id: UUID
    kind: str
    author_id: UUID
    statement: str  # sealed
    filed_at: dt.datetime


class AppealDecided(Event, tag="stories.appeal_decided.v1", frozen=True, kw_only=True):
    item_id: UUID
    kind: str
    author_id: UUID
    moderator_id: UUID
    upheld: bool  # True: the decision stands; False: the post is published after all
    note: str = ""
    decided_at: dt.datetime


class ReportErased(Event, tag="stories.report_erased.v1", frozen=True, kw_only=True):
    """The reporter left Small Wins: their report's weight goes. A post that only their weight kept
    hidden is shown again (``shown_again``), unless a moderator has decided on it since."""

    item_id: UUID
    kind: str
    reporter_id: UUID
    weight: float
    shown_again: bool
    erased_at: dt.datetime


# --- erasure -----------------------------------------------------------------------------------


class MemberErased(Event, tag="stories.member_erased.v1", frozen=True, kw_only=True):
    """The stories service has erased the member (ids only): their key, stories, replies,
    encouragement, reports, messages, reading choices and trust are gone from every read model."""

    member_id: UUID
    erased_at: dt.datetime


# --- what moderators send to a writer at risk ------------------------------------------------


class ReachOutTemplateSaved(Event, tag="stories.reach_out_template_saved.v1", frozen=True, kw_only=True):
    template_id: UUID
    name: str
    body: str  # plain text, written by moderators
    saved_by: UUID
    saved_at: dt.datetime


# --- encouragement and reading preferences -----------------------------------------------


class Encouraged(Event, tag="stories.encouraged.v1", frozen=True, kw_only=True):
    story_id: UUID
    story_author_id: UUID
    reader_id: UUID
    kind: str
    encouraged_at: dt.datetime


class EncouragementTakenBack(Event, tag="stories.encouragement_taken_back.v1", frozen=True, kw_only=True):
    story_id: UUID
    reader_id: UUID
    kind: str
    taken_back_at: dt.datetime


class WarningPreferencesSet(Event, tag="stories.warning_preferences_set.v1", frozen=True, kw_only=True):
    member_id: UUID
    hide: tuple[str, ...]
    blur: tuple[str, ...]
    set_at: dt.datetime


PostEvent = (
    StorySubmitted | StoryRevised | ReplySubmitted | PostClaimed | PostApproved | PostPublished | PostRejected
    | ChangesRequested | PostRemoved | PostWithdrawn | PostReported | PostHidden | ReplyHiddenByAuthor
    | AppealFiled | AppealDecided | ClaimReleased | PostHeld | WriterReachedOut | ReportErased
)  # fmt: skip
TemplateEvent = ReachOutTemplateSaved
CheerEvent = Encouraged | EncouragementTakenBack

REGISTRY = EventRegistry(
    [
        StorySubmitted, StoryRevised, ReplySubmitted, PostClaimed, PostApproved, PostPublished, PostRejected,
        ChangesRequested, PostRemoved, PostWithdrawn, PostReported, PostHidden, ReplyHiddenByAuthor, AppealFiled,
        AppealDecided, Encouraged, EncouragementTakenBack, WarningPreferencesSet, ClaimReleased, PostHeld,
        WriterReachedOut, ReachOutTemplateSaved, ReportErased, MemberErased,
    ]
)  # fmt: skip


def post_stream(item_id: UUID) -> str:
    return f"post-{item_id}"


def cheer_stream(story_id: UUID, reader_id: UUID) -> str:
    return f"cheer-{story_id}-{reader_id}"


def reader_stream(member_id: UUID) -> str:
    return f"reader-{member_id}"


def template_stream(template_id: UUID) -> str:
    return f"template-{template_id}"
