"""Wire contracts of the stories service. Text travels in plain form between web and the
stories service only; the service seals it with the author's key before it becomes an event."""

from __future__ import annotations

import datetime as dt
from typing import Annotated
from uuid import UUID

import msgspec

from shared.contracts.common import PLAIN_TEXT, Acted, MaybeActed, text
from shared.contracts.verbs import Verb
from shared.contracts.vocabulary import (
    CONTENT_WARNINGS,
    ENCOURAGEMENTS,
    MODERATION_REASONS,
    RECOVERY_THEMES,
    REPORT_REASONS,
)

SERVICE = "stories"

# The stories events web's feed cache reads, named here once (tests/unit/stories/test_followed_events.py
# ties them to the service's registry). Every other stories event may change the feed.
FEED_UNAFFECTED_BY = frozenset({
    # what the feed list never shows: encouragement (no counts on the feed), claims, single reports
    # (enough of them hide the item, which is its own event)
    "stories.encouraged.v1",
    "stories.encouragement_taken_back.v1",
    "stories.post_claimed.v1",
    "stories.post_reported.v1",
})  # fmt: skip
WARNING_PREFERENCES_SET = "stories.warning_preferences_set.v1"
"""A reader chose which content warnings to hide and blur; it carries their ``member_id``."""

THEMES = RECOVERY_THEMES
WARNINGS = CONTENT_WARNINGS
CHEERS = ENCOURAGEMENTS
REASONS = MODERATION_REASONS
REPORTS = REPORT_REASONS

# The limits of what stories accepts, named once: the wire types below, the HTTP schemas
# (web/api/stories_schemas.py), the domain's messages and the pages' maxlength take them from here.
TITLE_MAX, BODY_MAX, REPLY_MAX = 120, 10_000, 2_000
THEMES_MAX, WARNINGS_MAX = 5, 10
GUIDANCE_MAX = 1_000  # a moderator's guidance to an author, or a note on an appeal decided
STATEMENT_MAX = 2_000  # an author's appeal
REPORT_NOTE_MAX = 500  # a reporter's note, for moderators only
PERSONAL_MAX = 500  # a moderator's own line under a reach-out template
TEMPLATE_NAME_MAX, TEMPLATE_MAX = 80, 2_000
CURSOR_MAX = 200
Title = Annotated[str, text(TITLE_MAX)]
Body = Annotated[str, text(BODY_MAX)]
ReplyBody = Annotated[str, text(REPLY_MAX)]
Guidance = Annotated[str, text(GUIDANCE_MAX)]
Cursor = Annotated[str, text(CURSOR_MAX)]
Tags = Annotated[tuple[str, ...], msgspec.Meta(max_length=WARNINGS_MAX)]
Key = Annotated[str, msgspec.Meta(min_length=1, max_length=255, pattern=PLAIN_TEXT)]
Limit = Annotated[int, msgspec.Meta(ge=1, le=50)]


class Actor(Acted, frozen=True, kw_only=True):
    """A stories request; who acts comes from the actor header (``shared.contracts.common.Acted``)."""


class Creating(Actor, frozen=True, kw_only=True):
    idempotency_key: Key | None = None


class Reader(MaybeActed, frozen=True, kw_only=True):
    """Who reads: a member, or nobody signed in (only when the operator opened the feed)."""


class StoryFields(msgspec.Struct, frozen=True, kw_only=True):
    title: Title
    body: Body
    themes: Annotated[tuple[str, ...], msgspec.Meta(max_length=THEMES_MAX)] = ()
    warnings: Tags = ()


class SubmitRequest(Creating, frozen=True, kw_only=True):
    story_id: UUID | None = None
    story: StoryFields


class ReviseRequest(Actor, frozen=True, kw_only=True):
    story_id: UUID
    expected_version: Annotated[int, msgspec.Meta(ge=0, le=1_000_000_000)]  # StoryView.version, as the author saw it
    story: StoryFields


class ItemRequest(Actor, frozen=True, kw_only=True):
    item_id: UUID


class ReplyRequest(Creating, frozen=True, kw_only=True):
    story_id: UUID
    reply_id: UUID | None = None
    body: ReplyBody
    in_reply_to: UUID | None = None  # a reply on the same story that this one answers


class ReportRequest(Creating, frozen=True, kw_only=True):
    item_id: UUID
    reason: str
    note: Annotated[str, text(REPORT_NOTE_MAX)] = ""  # optional, for moderators only (never shown to the author)


class EncourageRequest(Actor, frozen=True, kw_only=True):
    story_id: UUID
    kind: str


class AppealRequest(Creating, frozen=True, kw_only=True):
    item_id: UUID
    statement: Annotated[str, text(STATEMENT_MAX)]


class PreferencesRequest(Actor, frozen=True, kw_only=True):
    hide: Tags = ()
    blur: Tags = ()


class FeedRequest(Reader, frozen=True, kw_only=True):
    theme: str = ""
    cursor: Cursor = ""
    limit: Limit = 20


class StoryRequest(Reader, frozen=True, kw_only=True):
    story_id: UUID


# --- answers ---------------------------------------------------------------------------------


class Posted(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    status: str
    crisis: bool = False  # urgent: the writer sees the helplines now
    suggested_warnings: tuple[str, ...] = ()  # warnings screening suggests that the author did not pick


class Done(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID


class Reported(Done, frozen=True, kw_only=True):
    crisis: bool = False  # the reporter's own note reads as present risk: they see the helplines


class StoryCard(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    pseudonym: str
    title: str
    excerpt: str
    themes: tuple[str, ...]
    warnings: tuple[str, ...]
    published_at: dt.datetime
    blurred: bool = False


class FeedView(msgspec.Struct, frozen=True, kw_only=True):
    items: tuple[StoryCard, ...]
    next_cursor: str | None = None
    theme: str = ""
    hide: tuple[str, ...] = ()
    blur: tuple[str, ...] = ()


class ReplyView(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    pseudonym: str
    body: str
    status: str
    submitted_at: dt.datetime
    mine: bool = False
    hidden_by_author: bool = False
    in_reply_to: UUID | None = None  # the reply this one answers, on the same story
    in_reply_to_pseudonym: str = ""  # its writer, when this reader sees that reply ("" otherwise)
    nested: bool = False  # listed after an earlier reply whose thread it belongs to (one level deep)
    can_hide: bool = False  # the reader wrote the story and may hide this reply on it
    can_report: bool = False
    can_answer: bool = False  # the reader may answer this reply with one of their own


class StoryView(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    pseudonym: str
    title: str
    body: str
    themes: tuple[str, ...]
    warnings: tuple[str, ...]
    status: str
    submitted_at: dt.datetime
    published_at: dt.datetime | None = None
    mine: bool = False
    counts: dict[str, int] = {}  # the author's view only
    sent: tuple[str, ...] = ()  # what this reader has sent
    replies: tuple[ReplyView, ...] = ()
    reason: str = ""  # the author's and moderators' view only
    guidance: str = ""
    appealed: bool = False
    urgent: bool = False
    blurred: bool = False
    suggested: tuple[str, ...] = ()  # warnings screening suggests, for the author when they revise
    version: int = 0  # what a revision sends back as its expected_version
    # what this reader may do with it (services/stories/access.py decides; pages only show it)
    can_revise: bool = False
    can_withdraw: bool = False
    can_encourage: bool = False
    can_reply: bool = False
    can_report: bool = False
    can_moderate: bool = False


class Submission(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    kind: str
    story_id: UUID
    title: str
    excerpt: str
    status: str
    urgent: bool
    reason: str = ""
    guidance: str = ""
    appealed: bool = False
    appeal_note: str = ""
    hidden: bool = False
    updated_at: dt.datetime
    version: int = 0
    can_revise: bool = False
    can_withdraw: bool = False
    can_appeal: bool = False


class MineView(msgspec.Struct, frozen=True, kw_only=True):
    items: tuple[Submission, ...]


class PreferencesView(msgspec.Struct, frozen=True, kw_only=True):
    hide: tuple[str, ...] = ()
    blur: tuple[str, ...] = ()
    chosen: bool = False  # False: the reader has not chosen; the operator's protected warnings are blurred


class MessageView(msgspec.Struct, frozen=True, kw_only=True):
    """A private message moderators sent this member about something they wrote."""

    id: UUID
    item_id: UUID
    kind: str
    title: str
    body: str
    sent_at: dt.datetime


class MessagesView(msgspec.Struct, frozen=True, kw_only=True):
    items: tuple[MessageView, ...]


# The stories service's verbs: served by services/stories/endpoints.py, asked by web.
SUBMIT = Verb(SERVICE, "submit", SubmitRequest, Posted)
REVISE = Verb(SERVICE, "revise", ReviseRequest, Posted)
REPLY = Verb(SERVICE, "reply", ReplyRequest, Posted)
WITHDRAW = Verb(SERVICE, "withdraw", ItemRequest, Done)
HIDE_REPLY = Verb(SERVICE, "hide_reply", ItemRequest, Done)
APPEAL = Verb(SERVICE, "appeal", AppealRequest, Done)
REPORT = Verb(SERVICE, "report", ReportRequest, Reported)
ENCOURAGE = Verb(SERVICE, "encourage", EncourageRequest, Done)
TAKE_BACK = Verb(SERVICE, "take_back", EncourageRequest, Done)
SET_PREFERENCES = Verb(SERVICE, "set_preferences", PreferencesRequest, PreferencesView)
FEED = Verb(SERVICE, "feed", FeedRequest, FeedView)
STORY = Verb(SERVICE, "story", StoryRequest, StoryView)
MINE = Verb(SERVICE, "mine", Actor, MineView)
PREFERENCES = Verb(SERVICE, "preferences", Actor, PreferencesView)
MESSAGES = Verb(SERVICE, "messages", Actor, MessagesView)
