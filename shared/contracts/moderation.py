"""Wire contracts of moderation, served by the stories service: the queue, an item, decisions,
claims, holds, reaching out to a writer, the templates for it, appeals decided and the audit.
Split from ``shared.contracts.stories`` (the feed, stories, replies and encouragement) by who asks:
moderators, here; authors and readers, there. The limits are the stories contract's."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal
from uuid import UUID

import msgspec

from shared.contracts.common import text
from shared.contracts.stories import (
    PERSONAL_MAX,
    SERVICE,
    TEMPLATE_MAX,
    TEMPLATE_NAME_MAX,
    Actor,
    Creating,
    Cursor,
    Done,
    Guidance,
    ItemRequest,
    Limit,
)
from shared.contracts.verbs import Verb

QUEUE_COUNT_CAP = 1000


class ModerateRequest(Actor, frozen=True, kw_only=True):
    item_id: UUID
    action: str
    reason: str = ""
    guidance: Guidance = ""


class ReachOutRequest(Creating, frozen=True, kw_only=True):
    """A moderator sends the writer of an urgent post a private message from a template."""

    item_id: UUID
    template_id: UUID
    personal: Annotated[str, text(PERSONAL_MAX)] = ""  # a line of the moderator's own under the template


class TemplateRequest(Actor, frozen=True, kw_only=True):
    template_id: UUID
    name: Annotated[str, text(TEMPLATE_NAME_MAX)]
    body: Annotated[str, text(TEMPLATE_MAX)]


class DecideAppealRequest(Actor, frozen=True, kw_only=True):
    item_id: UUID
    upheld: bool
    note: Guidance = ""


class QueueRequest(Actor, frozen=True, kw_only=True):
    only: Literal["", "reports"] = ""
    cursor: Cursor = ""
    limit: Limit = 20


class AuditRequest(Actor, frozen=True, kw_only=True):
    before: Annotated[int, msgspec.Meta(ge=1)] | None = None
    limit: Limit = 50


class ReportCount(msgspec.Struct, frozen=True, kw_only=True):
    reason: str
    count: int


class QueueLine(msgspec.Struct, frozen=True, kw_only=True):
    """One line of the moderation queue: enough to choose what to open, not the whole text."""

    id: UUID
    kind: str
    story_id: UUID
    pseudonym: str
    title: str  # a reply's opening words
    status: str
    urgent: bool
    flags: tuple[str, ...]
    warnings: tuple[str, ...]
    review: str  # new | post | reports | appeal
    queued_at: dt.datetime
    age_seconds: int
    claimed_by_me: bool = False
    claimed_by_other: bool = False
    claimed_by_name: str = ""  # who holds it, while a claim lasts
    report_weight: float = 0.0
    reports: tuple[ReportCount, ...] = ()
    hidden: bool = False  # by reports, until a moderator decides
    decided_by_me: bool = False  # the decision an appeal is about is this moderator's


class SentMessage(msgspec.Struct, frozen=True, kw_only=True):
    at: dt.datetime
    moderator: str
    template_name: str


class QueueItem(QueueLine, frozen=True, kw_only=True):
    """One item as the moderator working on it sees it."""

    body: str
    themes: tuple[str, ...] = ()
    claim_until: dt.datetime | None = None
    reason: str = ""
    guidance: str = ""
    appeal_statement: str = ""
    decided_by_name: str = ""  # who made the decision an appeal is about
    report_notes: tuple[str, ...] = ()  # what reporters wrote, without who wrote it
    reached_out: tuple[SentMessage, ...] = ()


class QueueView(msgspec.Struct, frozen=True, kw_only=True):
    items: tuple[QueueLine, ...]
    total: int
    """How many wait, counted up to ``QUEUE_COUNT_CAP``."""
    total_capped: bool = False
    """True when at least ``total`` wait (counting stopped there)."""
    next_cursor: str | None = None


class AuditEntry(msgspec.Struct, frozen=True, kw_only=True):
    seq: int
    at: dt.datetime
    moderator: str
    action: str
    item_id: UUID
    kind: str
    title: str = ""  # the story's title or the reply's opening words ("" once its author's key is erased)
    reason: str = ""
    note: str = ""


class AuditView(msgspec.Struct, frozen=True, kw_only=True):
    items: tuple[AuditEntry, ...]
    next_before: int | None = None


class TemplateView(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    name: str
    body: str


class TemplatesView(msgspec.Struct, frozen=True, kw_only=True):
    items: tuple[TemplateView, ...]


CLAIM = Verb(SERVICE, "claim", ItemRequest, Done)
RELEASE = Verb(SERVICE, "release", ItemRequest, Done)
HOLD = Verb(SERVICE, "hold", ItemRequest, Done)
REACH_OUT = Verb(SERVICE, "reach_out", ReachOutRequest, Done)
SAVE_TEMPLATE = Verb(SERVICE, "save_template", TemplateRequest, TemplateView)
MODERATE = Verb(SERVICE, "moderate", ModerateRequest, Done)
DECIDE_APPEAL = Verb(SERVICE, "decide_appeal", DecideAppealRequest, Done)
QUEUE = Verb(SERVICE, "queue", QueueRequest, QueueView)
ITEM = Verb(SERVICE, "item", ItemRequest, QueueItem)
AUDIT = Verb(SERVICE, "audit", AuditRequest, AuditView)
TEMPLATES = Verb(SERVICE, "templates", Actor, TemplatesView)
