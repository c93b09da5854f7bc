"""HTTP schemas of the stories and moderation API: the public contract, mapped explicitly from
the wire views (``out``) so that a change on the wire cannot change the API unnoticed."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal
from uuid import UUID

import msgspec

from shared.contracts import stories as st
from shared.contracts import vocabulary as v
from shared.contracts.common import text
from web.api.limits import Version

Theme = v.Theme
Warning_ = v.ContentWarning
Cheer = v.Cheer
Reason = v.ModerationReason
ReportReason = v.ReportReason
Status = Literal["pending", "changes_requested", "published", "rejected", "removed", "withdrawn", "held"]


# --- bodies ------------------------------------------------------------------------------------


class StoryBody(msgspec.Struct, frozen=True, kw_only=True):
    title: Annotated[str, text(st.TITLE_MAX, min_length=1)]
    body: Annotated[str, text(st.BODY_MAX, min_length=1)]
    themes: Annotated[list[Theme], msgspec.Meta(max_length=st.THEMES_MAX)] = []
    warnings: Annotated[list[Warning_], msgspec.Meta(max_length=st.WARNINGS_MAX)] = []


class RevisionBody(StoryBody, frozen=True, kw_only=True):
    version: Version  # the story's version as you read it; 409 when it changed since


class NewStoryBody(StoryBody, frozen=True, kw_only=True):
    id: UUID | None = None  # made by the client: a repeat with the same id stores nothing new


class ReplyBody(msgspec.Struct, frozen=True, kw_only=True):
    body: Annotated[str, text(st.REPLY_MAX, min_length=1)]
    id: UUID | None = None
    in_reply_to: Annotated[
        UUID | None,
        msgspec.Meta(
            description="A reply on the same story that this one answers: one shown to readers, or your own."
            " 404 when you can't see it, 422 when it is not a reply on this story, 409 when it was taken down."
        ),
    ] = None


class CheerBody(msgspec.Struct, frozen=True, kw_only=True):
    kind: Cheer


class ReportBody(msgspec.Struct, frozen=True, kw_only=True):
    reason: ReportReason
    note: Annotated[str, text(st.REPORT_NOTE_MAX)] = ""  # for moderators only; refused if it holds personal details


class ReachOutBody(msgspec.Struct, frozen=True, kw_only=True):
    template_id: UUID
    personal: Annotated[str, text(st.PERSONAL_MAX)] = ""  # a line of the moderator's own; plain text


class TemplateBody(msgspec.Struct, frozen=True, kw_only=True):
    name: Annotated[str, text(st.TEMPLATE_NAME_MAX, min_length=1)]
    body: Annotated[str, text(st.TEMPLATE_MAX, min_length=1)]  # plain text: markup is refused (422)


class AppealBody(msgspec.Struct, frozen=True, kw_only=True):
    statement: Annotated[str, text(st.STATEMENT_MAX, min_length=1)]


class DecisionBody(msgspec.Struct, frozen=True, kw_only=True):
    action: Literal["approve", "reject", "request_changes", "remove"]
    reason: Reason | Literal[""] = ""
    guidance: Annotated[str, text(st.GUIDANCE_MAX)] = ""


class AppealDecisionBody(msgspec.Struct, frozen=True, kw_only=True):
    upheld: bool
    note: Annotated[str, text(st.GUIDANCE_MAX)] = ""


class PreferencesBody(msgspec.Struct, frozen=True, kw_only=True):
    hide: Annotated[list[Warning_], msgspec.Meta(max_length=st.WARNINGS_MAX)] = []
    blur: Annotated[list[Warning_], msgspec.Meta(max_length=st.WARNINGS_MAX)] = []


# --- answers -----------------------------------------------------------------------------------


class PostedOut(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    status: Status
    crisis: bool
    suggested_warnings: list[str]


class DoneOut(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID


class ReportedOut(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    crisis: bool  # the note reads as present risk: show the reporter the helplines


class StoryCardOut(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    pseudonym: str
    title: str
    excerpt: str
    themes: list[str]
    warnings: list[str]
    published_at: dt.datetime
    blurred: bool


class FeedOut(msgspec.Struct, frozen=True, kw_only=True):
    items: list[StoryCardOut]
    next_cursor: str | None
    theme: str
    hide: list[str]
    blur: list[str]


class ReplyOut(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    pseudonym: str
    body: str
    status: Status
    submitted_at: dt.datetime
    mine: bool
    hidden_by_author: bool
    in_reply_to: Annotated[UUID | None, msgspec.Meta(description="The reply this one answers, if any")]
    in_reply_to_pseudonym: Annotated[
        str, msgspec.Meta(description="Who wrote the reply this one answers; empty when you can't see that reply")
    ]


class StoryOut(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    pseudonym: str
    title: str
    body: str
    themes: list[str]
    warnings: list[str]
    status: Status
    submitted_at: dt.datetime
    published_at: dt.datetime | None
    mine: bool
    counts: dict[str, int]
    sent: list[str]
    replies: list[ReplyOut]
    reason: str
    guidance: str
    appealed: bool
    urgent: bool
    blurred: bool
    suggested: list[str]
    version: int  # send it back to change the story (PUT)


class SubmissionOut(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    kind: Literal["story", "reply"]
    story_id: UUID
    title: str
    status: Status
    urgent: bool
    reason: str
    guidance: str
    appealed: bool
    appeal_note: str
    hidden: bool
    updated_at: dt.datetime
    version: int


class MineOut(msgspec.Struct, frozen=True, kw_only=True):
    items: list[SubmissionOut]


class ReportCountOut(msgspec.Struct, frozen=True, kw_only=True):
    reason: str
    count: int


class QueueLineOut(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    kind: Literal["story", "reply"]
    story_id: UUID
    pseudonym: str
    title: str
    status: Status
    urgent: bool
    flags: list[str]
    warnings: list[str]
    review: Literal["", "new", "post", "reports", "appeal"]
    queued_at: dt.datetime
    age_seconds: int
    claimed_by_me: bool
    claimed_by_other: bool
    claimed_by_name: str
    report_weight: float
    reports: list[ReportCountOut]
    hidden: bool
    decided_by_me: bool


class SentMessageOut(msgspec.Struct, frozen=True, kw_only=True):
    at: dt.datetime
    moderator: str
    template_name: str


class QueueItemOut(QueueLineOut, frozen=True, kw_only=True):
    body: str
    themes: list[str]
    claim_until: dt.datetime | None
    reason: str
    guidance: str
    appeal_statement: str
    decided_by_name: str
    report_notes: list[str]
    reached_out: list[SentMessageOut]


class QueueOut(msgspec.Struct, frozen=True, kw_only=True):
    items: list[QueueLineOut]
    total: int
    total_capped: bool
    next_cursor: str | None


class AuditEntryOut(msgspec.Struct, frozen=True, kw_only=True):
    seq: int
    at: dt.datetime
    moderator: str
    action: str
    item_id: UUID
    kind: str
    title: str
    reason: str
    note: str


class AuditOut(msgspec.Struct, frozen=True, kw_only=True):
    items: list[AuditEntryOut]
    next_before: int | None


class PreferencesOut(msgspec.Struct, frozen=True, kw_only=True):
    hide: list[str]
    blur: list[str]
    chosen: bool


class TemplateOut(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    name: str
    body: str


class TemplatesOut(msgspec.Struct, frozen=True, kw_only=True):
    items: list[TemplateOut]


class MessageOut(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    item_id: UUID
    kind: Literal["story", "reply"]
    title: str
    body: str
    sent_at: dt.datetime


class MessagesOut(msgspec.Struct, frozen=True, kw_only=True):
    items: list[MessageOut]
