"""Inline read models of the stories service: posts and the queue, encouragement, reports,
the moderation audit, trust and reading preferences. None writes a row of a member who was erased
(``forgetting.kept``); ``MemberErased`` purges them from each (``services/stories/forgetting.py``)."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

import asyncpg

from services.stories import forgetting
from services.stories.domain import AT_RISK
from services.stories.events import (
    AppealDecided,
    AppealFiled,
    ChangesRequested,
    ClaimReleased,
    Encouraged,
    EncouragementTakenBack,
    MemberErased,
    PostApproved,
    PostClaimed,
    PostHeld,
    PostHidden,
    PostPublished,
    PostRejected,
    PostRemoved,
    PostReported,
    PostWithdrawn,
    ReachOutTemplateSaved,
    ReplyHiddenByAuthor,
    ReplySubmitted,
    ReportErased,
    StoryRevised,
    StorySubmitted,
    WarningPreferencesSet,
    WriterReachedOut,
)
from shared.messages import Event, tag_of
from shared.projections import Projection

_FREE = "claimed_by = NULL, claim_until = NULL"


async def _set(conn: asyncpg.Connection, item: UUID, at: dt.datetime, assignments: str, *args: object) -> None:
    """Update one post for one event of its stream (which adds one to its version): ``assignments``
    may use $3, $4 ... for ``args`` ($1 is the item, $2 the time)."""
    await conn.execute(
        f"UPDATE posts SET {assignments}, updated_at = $2, version = version + 1 WHERE item_id = $1", item, at, *args
    )


_INSERT = (
    "INSERT INTO posts (item_id, kind, story_id, story_author_id, author_id, pseudonym, title, body, themes,"
    " warnings, flags, status, urgent, review, queued_at, submitted_at, updated_at, in_reply_to)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'pending', $12, $13, $14, $14, $14, $15)"
)


async def _submitted(conn: asyncpg.Connection, e: StorySubmitted | ReplySubmitted) -> None:
    if not await forgetting.kept(conn, e.author_id):
        return
    parent: UUID | None = None  # the reply a reply answers
    if isinstance(e, StorySubmitted):
        kind, story, story_author, title, themes, warnings = (
            "story",
            e.item_id,
            e.author_id,
            e.title,
            e.themes,
            e.warnings,
        )
    else:
        kind, story, story_author, title, themes, warnings = "reply", e.story_id, e.story_author_id, "", (), ()
        parent = e.in_reply_to
    await conn.execute(
        _INSERT, e.item_id, kind, story, story_author, e.author_id, e.pseudonym, title, e.body, list(themes),
        list(warnings), list(e.flags), e.urgent, "post" if e.direct else "new", e.submitted_at, parent,
    )  # fmt: skip


async def _posts(conn: asyncpg.Connection, e: Event) -> None:
    match e:
        case StorySubmitted() | ReplySubmitted():
            await _submitted(conn, e)
        case StoryRevised():
            await _set(
                conn, e.item_id, e.revised_at,
                f"title = $3, body = $4, themes = $5, warnings = $6, flags = $7, urgent = $8, status = 'pending',"
                f" review = 'new', queued_at = $2, reason = '', guidance = '', {_FREE}",
                e.title, e.body, list(e.themes), list(e.warnings), list(e.flags), e.urgent,
            )  # fmt: skip
        case PostClaimed():
            await _set(conn, e.item_id, e.claimed_at, "claimed_by = $3, claim_until = $4", e.moderator_id, e.until)
        case PostApproved():
            await _approved(conn, e)
        case PostPublished():
            await _set(
                conn, e.item_id, e.published_at,
                f"status = 'published', hidden = false, published_at = coalesce(published_at, $2), {_FREE},"
                " review = CASE WHEN review = 'post' THEN 'post' END, reason = CASE WHEN review = 'post' THEN reason"
                " ELSE '' END",
            )  # fmt: skip
        case PostRejected():
            await _decided(conn, e.item_id, e.rejected_at, "rejected", e.reason, e.guidance, e.moderator_id)
        case ChangesRequested():
            await _decided(conn, e.item_id, e.requested_at, "changes_requested", e.reason, e.guidance)
        case PostRemoved():
            await _decided(conn, e.item_id, e.removed_at, "removed", e.reason, e.guidance, e.moderator_id)
        case ClaimReleased():
            await _set(conn, e.item_id, e.released_at, _FREE)
        case PostHeld():
            await _set(conn, e.item_id, e.held_at, f"status = 'held', review = NULL, hidden = false, {_FREE}")
        case PostWithdrawn():
            await _set(conn, e.item_id, e.withdrawn_at, f"status = 'withdrawn', review = NULL, {_FREE}")
        case PostReported():  # every report reaches the queue; "someone may be at risk" makes it urgent
            await _set(
                conn, e.item_id, e.reported_at,
                "report_weight = report_weight + $3, urgent = urgent OR $4, review = coalesce(review, 'reports'),"
                " queued_at = CASE WHEN review IS NULL THEN $2 ELSE queued_at END",
                e.weight, e.reason == AT_RISK,
            )  # fmt: skip
        case PostHidden():
            await _set(conn, e.item_id, e.hidden_at, "hidden = true, review = coalesce(review, 'reports'),"
                       " queued_at = CASE WHEN review IS NULL THEN $2 ELSE queued_at END")  # fmt: skip
        case ReplyHiddenByAuthor():
            await _set(conn, e.item_id, e.hidden_at, "hidden_by_author = true")
        case ReportErased():
            await _set(conn, e.item_id, e.erased_at, "report_weight = greatest(report_weight - $3, 0),"
                       " hidden = hidden AND NOT $4", e.weight, e.shown_again)  # fmt: skip
        case MemberErased():
            await forgetting.posts(conn, e)
        case AppealFiled():
            await _set(
                conn,
                e.item_id,
                e.filed_at,
                f"appealed = true, appeal_statement = $3, review = 'appeal', queued_at = $2, {_FREE}",
                e.statement,
            )
        case AppealDecided():
            await _set(conn, e.item_id, e.decided_at, f"review = NULL, appeal_note = $3, {_FREE}", e.note)
        case WriterReachedOut():  # an event of the post's stream that changes nothing else in its row
            await conn.execute("UPDATE posts SET version = version + 1 WHERE item_id = $1", e.item_id)
        case _:
            pass


async def _decided(
    conn: asyncpg.Connection, item: UUID, at: dt.datetime, status: str, reason: str, guidance: str,
    moderator: UUID | None = None,
) -> None:  # fmt: skip
    await _set(
        conn, item, at, f"status = $3, review = NULL, reason = $4, guidance = $5, decided_by = $6, {_FREE}",
        status, reason, guidance, moderator,
    )  # fmt: skip


async def _approved(conn: asyncpg.Connection, e: PostApproved) -> None:
    counted = await conn.fetchval("SELECT approved FROM posts WHERE item_id = $1", e.item_id)
    await _set(conn, e.item_id, e.approved_at, f"review = NULL, hidden = false, reason = '', approved = true, {_FREE}")
    if counted is False:
        await _trust(conn, e.author_id, approved=1)


async def _trust(conn: asyncpg.Connection, member: UUID, *, approved: int = 0, removed: int = 0) -> None:
    if not await forgetting.kept(conn, member):
        return
    await conn.execute(
        "INSERT INTO trust (member_id, approved, removed) VALUES ($1, $2, $3) ON CONFLICT (member_id)"
        " DO UPDATE SET approved = trust.approved + $2, removed = trust.removed + $3",
        member, approved, removed,
    )  # fmt: skip


async def _trust_and_audit(conn: asyncpg.Connection, e: Event) -> None:
    match e:
        case PostClaimed():
            await _audit(conn, e.claimed_at, e.moderator_id, "claimed", e.item_id, "")
        case ClaimReleased():
            await _audit(conn, e.released_at, e.moderator_id, "released", e.item_id, "")
        case PostHeld():
            await _audit(conn, e.held_at, e.moderator_id, "held back", e.item_id, e.kind)
        case WriterReachedOut():
            await _audit(conn, e.reached_at, e.moderator_id, "reached out to the writer", e.item_id, "", "",
                         e.template_name)  # fmt: skip
        case PostApproved():
            await _audit(conn, e.approved_at, e.moderator_id, "approved", e.item_id, e.kind)
        case PostRejected():
            await _audit(conn, e.rejected_at, e.moderator_id, "rejected", e.item_id, e.kind, e.reason, e.guidance)
        case ChangesRequested():
            await _audit(conn, e.requested_at, e.moderator_id, "changes requested", e.item_id, "story", e.reason, e.guidance)  # fmt: skip
        case PostRemoved():
            await _audit(conn, e.removed_at, e.moderator_id, "removed", e.item_id, e.kind, e.reason, e.guidance)
            await _trust(conn, e.author_id, removed=1)
        case AppealDecided():
            action = "appeal: decision upheld" if e.upheld else "appeal: decision reversed"
            await _audit(conn, e.decided_at, e.moderator_id, action, e.item_id, e.kind, "", e.note)
            if not e.upheld and await conn.fetchval(
                "SELECT status = 'removed' FROM posts WHERE item_id = $1", e.item_id
            ):
                await _trust(conn, e.author_id, removed=-1)
        case _:
            pass


async def _audit(
    conn: asyncpg.Connection, at: dt.datetime, moderator: UUID, action: str, item: UUID, kind: str,
    reason: str = "", note: str = "",
) -> None:  # fmt: skip
    await conn.execute(
        "INSERT INTO audit (at, moderator_id, action, item_id, kind, reason, note) VALUES ($1, $2, $3, $4,"
        f" coalesce(nullif($5, ''), (SELECT kind FROM posts WHERE item_id = $4), {_KIND_IN_LOG}, ''), $6, $7)",
        at, moderator, action, item, kind, reason, note,
    )  # fmt: skip


# A post's kind from its first event, where its row is not there: a rebuild skips the rows of an
# erased author, and the audit still names their posts by id, as it did before they left.
_KIND_IN_LOG = (
    f"(SELECT CASE event_type WHEN '{tag_of(StorySubmitted)}' THEN 'story' WHEN '{tag_of(ReplySubmitted)}'"
    " THEN 'reply' END FROM events WHERE stream_id = 'post-' || $4::text AND stream_version = 1)"
)


async def _reports(conn: asyncpg.Connection, e: Event) -> None:
    match e:
        case PostReported() if await forgetting.kept(conn, e.reporter_id):
            await conn.execute(
                "INSERT INTO reports (item_id, reporter_id, reason, weight, reported_at, note)"
                " VALUES ($1, $2, $3, $4, $5, $6)",
                e.item_id, e.reporter_id, e.reason, e.weight, e.reported_at, e.note,
            )  # fmt: skip
        case ReportErased():
            await conn.execute("DELETE FROM reports WHERE item_id = $1 AND reporter_id = $2", e.item_id, e.reporter_id)
        case MemberErased():
            await forgetting.reports(conn, e)
        case _:
            pass


async def _reaching_out(conn: asyncpg.Connection, e: Event) -> None:
    match e:
        case WriterReachedOut() if await forgetting.kept(conn, e.author_id):
            await conn.execute(
                "INSERT INTO messages (message_id, member_id, item_id, moderator_id, template_name, body, sent_at)"
                " VALUES ($1, $2, $3, $4, $5, $6, $7)",
                e.message_id, e.author_id, e.item_id, e.moderator_id, e.template_name, e.message, e.reached_at,
            )  # fmt: skip
        case ReachOutTemplateSaved():
            await conn.execute(
                "INSERT INTO templates (template_id, name, body, saved_by, saved_at) VALUES ($1, $2, $3, $4, $5)"
                " ON CONFLICT (template_id) DO UPDATE SET name = $2, body = $3, saved_by = $4, saved_at = $5",
                e.template_id, e.name, e.body, e.saved_by, e.saved_at,
            )  # fmt: skip
        case MemberErased():
            await forgetting.messages(conn, e)
        case _:
            pass


async def _cheers(conn: asyncpg.Connection, e: Event) -> None:
    match e:
        case Encouraged() if await forgetting.kept(conn, e.reader_id):
            await conn.execute(
                "INSERT INTO encouragements (story_id, reader_id, kind, encouraged_at) VALUES ($1, $2, $3, $4)",
                e.story_id, e.reader_id, e.kind, e.encouraged_at,
            )  # fmt: skip
        case EncouragementTakenBack():
            await conn.execute(
                "DELETE FROM encouragements WHERE story_id = $1 AND reader_id = $2 AND kind = $3",
                e.story_id, e.reader_id, e.kind,
            )  # fmt: skip
        case WarningPreferencesSet() if await forgetting.kept(conn, e.member_id):
            await conn.execute(
                "INSERT INTO readers (member_id, hide, blur) VALUES ($1, $2, $3)"
                " ON CONFLICT (member_id) DO UPDATE SET hide = $2, blur = $3",
                e.member_id, list(e.hide), list(e.blur),
            )  # fmt: skip
        case MemberErased():
            await forgetting.cheers(conn, e)
        case _:
            pass


PROJECTIONS = (
    Projection(name="posts", tables=("posts", "trust", "audit"), apply=lambda c, e: _both(c, e)),
    Projection(name="reports", tables=("reports",), apply=_reports),
    Projection(name="reaching_out", tables=("messages", "templates"), apply=_reaching_out),
    Projection(name="encouragement", tables=("encouragements", "readers"), apply=_cheers),
)


async def _both(conn: asyncpg.Connection, e: Event) -> None:
    """Trust and the audit read the post's row as it was, so they go first."""
    await _trust_and_audit(conn, e)
    await _posts(conn, e)
