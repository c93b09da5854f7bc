"""Moderation decisions, claims, reports and appeals. Pure; no I/O, no clock."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

import msgspec

from services.stories import access
from services.stories.commands import Moderate, Who
from services.stories.domain import STATUS_WORDS, Post, Seal, publish
from services.stories.events import (
    AppealDecided,
    ChangesRequested,
    ClaimReleased,
    PostApproved,
    PostClaimed,
    PostEvent,
    PostHidden,
    PostRejected,
    PostRemoved,
    PostReported,
    ReportErased,
)
from shared.contracts.stories import GUIDANCE_MAX
from shared.contracts.stories import REPORT_NOTE_MAX as NOTE_MAX
from shared.contracts.vocabulary import MODERATION_REASONS, REPORT_REASONS
from shared.errors import Conflict, FieldError, Forbidden, Invalid, NotFound

ACTIONS = ("approve", "reject", "request_changes", "remove")
UNDECIDED = ("pending", "held")  # what a moderator may still approve, reject or send back


def require_moderator(post: Post | None, who: Who) -> Post:
    if not access.moderates(who):
        if access.may_see(post, who):
            raise Forbidden("Only moderators can do this.")
        raise NotFound("We couldn't find that post.")
    if post is None:
        raise NotFound("We couldn't find that post.")
    if not access.may_moderate(post, who):
        raise Forbidden(f"You can't moderate your own {post.kind}; another moderator will.")
    return post


def require_unclaimed(post: Post, who: Who, now: dt.datetime) -> None:
    if post.claimed_by not in (None, who.actor_id) and post.claim_until is not None and post.claim_until > now:
        raise Conflict(
            f"Another moderator is working on this {post.kind} until {post.claim_until:%H:%M} UTC. Pick another one."
        )


def claim(state: Post | None, who: Who, now: dt.datetime, ttl: dt.timedelta) -> list[PostEvent]:
    """Take an item from the queue so that no one else works on it; the claim expires after ``ttl``."""
    post = require_moderator(state, who)
    if post.review is None:
        raise Conflict(f"This {post.kind} is not waiting for review: it is {STATUS_WORDS[post.status]}.")
    if access.judges_own_decision(post.decided_by, post.review, who.actor_id):
        raise Forbidden("You made the decision being appealed; another moderator or an admin will decide the appeal.")
    require_unclaimed(post, who, now)
    return [PostClaimed(item_id=post.item_id, moderator_id=who.actor_id, until=now + ttl, claimed_at=now)]


def release(state: Post | None, who: Who, now: dt.datetime) -> list[PostEvent]:
    """Give back a claim, so that another moderator can take the item."""
    post = require_moderator(state, who)
    held = post.claimed_by is not None and post.claim_until is not None and post.claim_until > now
    if held and post.claimed_by != who.actor_id:
        raise Conflict(f"Another moderator is working on this {post.kind}; only they can release it.")
    if not held:
        raise Conflict(f"You are not working on this {post.kind}, so there is nothing to release.")
    return [ClaimReleased(item_id=post.item_id, moderator_id=who.actor_id, released_at=now)]


def _reason(cmd: Moderate) -> tuple[str, str]:
    errors = []
    if cmd.reason not in MODERATION_REASONS:
        errors.append(FieldError(field="reason", message="Please choose a reason from the list."))
    guidance = cmd.guidance.strip()
    if len(guidance) > GUIDANCE_MAX:
        errors.append(
            FieldError(field="guidance", message=f"Please keep the guidance under {GUIDANCE_MAX:,} characters.")
        )
    if errors:
        raise Invalid(errors[0].message, errors=tuple(errors))
    return cmd.reason, guidance


def moderate(state: Post | None, cmd: Moderate) -> list[PostEvent]:
    """Approve, reject, request changes to, or remove a post."""
    post = require_moderator(state, cmd.moderator)
    if cmd.action not in ACTIONS:
        raise Invalid(
            f"Unknown action {cmd.action!r}.", errors=(FieldError(field="action", message="Unknown action."),)
        )
    require_unclaimed(post, cmd.moderator, cmd.now)
    if post.review == "appeal":
        raise Conflict("An appeal is waiting on this one: decide the appeal instead.")
    mod, now = cmd.moderator.actor_id, cmd.now
    if cmd.action == "approve":
        return _approve(post, mod, now)
    if cmd.action == "remove":
        if post.status != "published":
            raise Conflict(f"Only a published {post.kind} can be removed; this one is {STATUS_WORDS[post.status]}.")
        reason, guidance = _reason(cmd)
        return [PostRemoved(
            item_id=post.item_id, kind=post.kind, author_id=post.author_id, moderator_id=mod, reason=reason,
            guidance=guidance, removed_at=now,
        )]  # fmt: skip
    if post.status not in UNDECIDED:
        raise Conflict(
            f"Only a {post.kind} waiting for review can be sent back; this one is {STATUS_WORDS[post.status]}."
        )
    reason, guidance = _reason(cmd)
    if cmd.action == "request_changes":
        if post.kind != "story":
            raise Conflict("Only stories can be sent back for changes; reject the reply with guidance instead.")
        return [ChangesRequested(
            item_id=post.item_id, author_id=post.author_id, moderator_id=mod, reason=reason, guidance=guidance,
            requested_at=now,
        )]  # fmt: skip
    return [PostRejected(
        item_id=post.item_id, kind=post.kind, author_id=post.author_id, moderator_id=mod, reason=reason,
        guidance=guidance, rejected_at=now,
    )]  # fmt: skip


def _approve(post: Post, moderator: UUID, now: dt.datetime) -> list[PostEvent]:
    if post.review is None and post.status != "held":
        raise Conflict(f"This {post.kind} was already decided: it is {STATUS_WORDS[post.status]}.")
    approved = PostApproved(
        item_id=post.item_id, kind=post.kind, author_id=post.author_id, moderator_id=moderator, approved_at=now
    )
    if post.status == "published":  # post-moderation, or reports: it stays up
        return [approved]
    return [approved, publish(post, now)]


class Report(msgspec.Struct, frozen=True, kw_only=True):
    """A reader's report: the reason, an optional note (screened by the handler), its weight."""

    reporter: Who
    reason: str
    note: str = ""
    personal: str = ""  # what screening found in the note, in words the reporter can act on
    weight: float
    threshold: float
    now: dt.datetime


def _report_errors(cmd: Report) -> str:
    errors = []
    if cmd.reason not in REPORT_REASONS:
        errors.append(FieldError(field="reason", message="Please choose a reason from the list."))
    note = cmd.note.strip()
    if len(note) > NOTE_MAX:
        errors.append(FieldError(field="note", message=f"Please keep the note under {NOTE_MAX:,} characters."))
    elif cmd.personal:
        errors.append(FieldError(field="note", message=cmd.personal))
    if errors:
        raise Invalid(errors[0].message, errors=tuple(errors))
    return note


def report(state: Post | None, cmd: Report, seal: Seal) -> list[PostEvent]:
    """A reader reports a post once. Every report reaches the moderators' queue at once; "someone may
    be at risk" makes it urgent; enough weight hides it until a moderator decides."""
    if state is None or not access.public(state):
        raise NotFound("We couldn't find that post. It may have been taken down already.")
    post, who, now, weight = state, cmd.reporter, cmd.now, cmd.weight
    if access.is_own(post, who):
        raise Conflict(f"You can't report your own {post.kind}; you can withdraw it instead.")
    note = _report_errors(cmd)
    if who.actor_id in post.reporters:
        raise Conflict(f"You already reported this {post.kind}. Moderators will look at it.")
    events: list[PostEvent] = [PostReported(
        item_id=post.item_id, kind=post.kind, reporter_id=who.actor_id, reason=cmd.reason, weight=weight,
        note=seal(note) if note else "", reported_at=now,
    )]  # fmt: skip
    if not post.hidden and hides(post.weight + weight, cmd.threshold):
        events.append(PostHidden(item_id=post.item_id, kind=post.kind, weight=post.weight + weight, hidden_at=now))
    return events


def hides(weight: float, threshold: float) -> bool:
    """Whether reports of this much weight keep a post hidden until a moderator decides."""
    return weight >= threshold


def lift_report(state: Post | None, reporter: UUID, threshold: float, now: dt.datetime) -> list[PostEvent]:
    """The reporter left Small Wins: their report's weight goes. A published post hidden by reports is
    shown again once what remains would not have hidden it; a moderator's decision stays as it was."""
    if state is None or reporter not in state.reporters:
        return []
    weight = sum(w for who, w in state.reports if who == reporter)
    remaining = state.weight - weight
    shown = state.hidden and state.status == "published" and not hides(remaining, threshold)
    return [ReportErased(
        item_id=state.item_id, kind=state.kind, reporter_id=reporter, weight=weight, shown_again=shown, erased_at=now,
    )]  # fmt: skip


def decide_appeal(state: Post | None, who: Who, upheld: bool, note: str, now: dt.datetime) -> list[PostEvent]:
    """A moderator other than the one who decided looks again: the decision stands or is reversed."""
    post = require_moderator(state, who)
    if post.review != "appeal":
        raise Conflict(f"No appeal is waiting on this {post.kind}.")
    if access.judges_own_decision(post.decided_by, post.review, who.actor_id):
        raise Forbidden("You made the decision being appealed; a different moderator must decide the appeal.")
    require_unclaimed(post, who, now)
    note = note.strip()
    if len(note) > GUIDANCE_MAX:
        raise Invalid(
            "Please keep the note shorter.",
            errors=(FieldError(field="note", message=f"Please keep the note under {GUIDANCE_MAX:,} characters."),),
        )
    decided = AppealDecided(
        item_id=post.item_id, kind=post.kind, author_id=post.author_id, moderator_id=who.actor_id, upheld=upheld,
        note=note, decided_at=now,
    )  # fmt: skip
    if upheld:
        return [decided]
    return [decided, publish(post, now)]


__all__ = ["ACTIONS", "Report", "claim", "decide_appeal", "hides", "lift_report", "moderate", "release", "report"]
