"""Who is told what, from the events the inbox follows and the little it keeps of them. Pure.

Nobody is told of their own action. Only the writer hears that a moderator reached out. Reports
tell nobody (the inbox does not follow them). A supporter is told about a journal only while they
support it: a revoked supporter is no longer in ``JournalFacts.supporters``. Who acted is named by
id alone: the inbox words the item with the name it keeps for them when it writes it."""

from __future__ import annotations

from uuid import UUID

import msgspec

from services.notifications.domain.inbox import Notice
from shared.contracts import journal_events as je
from shared.contracts import story_events as se


class JournalFacts(msgspec.Struct, frozen=True, kw_only=True):
    """What the inbox keeps of a journal: its owner, its joined supporters (id -> role) and who
    proposed the handover step that waits for an answer."""

    owner_id: UUID | None = None
    supporters: dict[UUID, str] = {}
    proposed_by: UUID | None = None


# --- stories ---------------------------------------------------------------------------------


def encouraged(seen: se.EncouragementSeen) -> list[Notice]:
    if seen.reader_id == seen.story_author_id:
        return []
    return [
        Notice(
            member_id=seen.story_author_id, kind="encouraged", about="story", about_id=seen.story_id,
            actor_id=seen.reader_id, variant=seen.kind, grouped=True,
        )
    ]  # fmt: skip


def published(seen: se.PostSeen) -> list[Notice]:
    """A published reply reaches the story's author ("replied") and, when it answers another reply,
    that reply's writer ("reply_to_reply"); never while it waits for moderation, never its own
    writer, and nobody twice: a story's author who wrote the answered reply hears the closer news."""
    if seen.kind != "reply":
        return []
    told = {seen.author_id}
    notices = []
    for member, kind in ((seen.parent_author_id, "reply_to_reply"), (seen.story_author_id, "replied")):
        if member is None or member in told:
            continue
        told.add(member)
        notices.append(
            Notice(
                member_id=member, kind=kind, about="story", about_id=seen.story_id,
                actor_id=seen.author_id, grouped=True,
            )
        )  # fmt: skip
    return notices


def moderated(event_type: str, seen: se.PostSeen, story_id: UUID | None) -> list[Notice]:
    """What a moderator decided, told to the author alone, with the moderator's reason."""
    kind = {
        se.POST_APPROVED: "approved", se.POST_REJECTED: "rejected", se.CHANGES_REQUESTED: "changes_requested",
        se.POST_REMOVED: "removed", se.APPEAL_DECIDED: "appeal_decided", se.WRITER_REACHED_OUT: "reached_out",
    }[event_type]  # fmt: skip
    if kind == "reached_out":  # the writer only; the message itself stays with the stories service
        return [Notice(member_id=seen.author_id, kind=kind, about="home")]
    variant = seen.kind
    if kind == "appeal_decided":
        variant = "upheld" if seen.upheld else seen.kind
    visible = kind == "approved" or (kind == "appeal_decided" and not seen.upheld)
    return [
        Notice(
            member_id=seen.author_id, kind=kind, about="story" if visible and story_id else "my-stories",
            about_id=story_id if visible else None, variant=variant, reason=seen.reason, guidance=seen.guidance,
        )
    ]  # fmt: skip


# --- journals --------------------------------------------------------------------------------


def invited(seen: je.JournalSeen, actor: UUID | None) -> list[Notice]:
    if seen.supporter_id is None or seen.supporter_id == actor:
        return []
    return [
        Notice(
            member_id=seen.supporter_id, kind="invited", about="home", about_id=seen.journal_id,
            actor_id=actor, variant=seen.role,
        )
    ]  # fmt: skip


def supporter_changed(event_type: str, seen: je.JournalSeen, facts: JournalFacts, actor: UUID | None) -> list[Notice]:
    """The member hears that a supporter joined, or stepped back by themselves (not a revocation:
    the member did that)."""
    owner, supporter = facts.owner_id, seen.supporter_id
    if owner is None or supporter is None or supporter == owner:
        return []
    if event_type == je.SUPPORTER_JOINED:
        kind = "supporter_joined"
    elif event_type == je.SUPPORTER_REMOVED and actor == supporter:
        kind = "supporter_left"
    else:
        return []
    return [
        Notice(
            member_id=owner, kind=kind, about="supporters", about_id=seen.journal_id,
            actor_id=supporter, variant=seen.role,
        )
    ]  # fmt: skip


def handover(event_type: str, seen: je.JournalSeen, facts: JournalFacts, actor: UUID | None) -> list[Notice]:
    """A keeper's proposal goes to the member; the member's answer to the keeper who proposed it;
    a stage the member chose themselves to every supporter they have now."""
    owner, j = facts.owner_id, seen.journal_id
    if event_type == je.HANDOVER_PROPOSED:
        if owner is None or seen.proposed_by == owner:
            return []
        return [Notice(member_id=owner, kind="handover_proposed", about="supporters", about_id=j,
                       actor_id=seen.proposed_by, variant=seen.stage)]  # fmt: skip
    proposer = facts.proposed_by
    if proposer is not None and proposer != owner:
        if proposer not in facts.supporters:
            return []
        kind = "handover_accepted" if event_type == je.HANDOVER_ACCEPTED else "handover_declined"
        return [Notice(member_id=proposer, kind=kind, about="supported", about_id=j,
                       actor_id=actor, variant=seen.stage)]  # fmt: skip
    if event_type != je.HANDOVER_ACCEPTED:
        return []
    return [
        Notice(member_id=s, kind="stage_moved", about="supported", about_id=j, actor_id=owner, variant=seen.stage)
        for s in sorted(facts.supporters)
    ]  # fmt: skip


def written(event_type: str, seen: je.WritingSeen, facts: JournalFacts) -> list[Notice]:
    """An entry written for the member, a note or an observation: the member is told that
    something waits, never what it says."""
    owner = seen.owner_id or facts.owner_id
    if owner is None or seen.author_id == owner:
        return []
    if event_type == je.ENTRY_RECORDED:
        if not seen.on_behalf:
            return []
        kind, variant = "entry_for_you", "confirm" if seen.needs_confirmation else ""
    else:
        kind, variant = ("note" if event_type == je.NOTE_ADDED else "observation"), ""
    return [
        Notice(
            member_id=owner, kind=kind, about="journal", about_id=seen.journal_id,
            actor_id=seen.author_id, variant=variant, grouped=kind != "entry_for_you",
        )
    ]  # fmt: skip
