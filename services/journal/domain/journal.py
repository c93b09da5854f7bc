"""The journal aggregate: who keeps it, who supports it, and its handover stage. Pure functions;
no I/O, no clock."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from typing import assert_never
from uuid import UUID

import msgspec

from services.journal.access import Access, access_of
from services.journal.domain.common import ROLES, STAGES, Seal, required
from services.journal.events import (
    ClaimCodeIssued,
    HandoverAccepted,
    HandoverDeclined,
    HandoverProposed,
    InvitationDeclined,
    JournalClaimed,
    JournalEvent,
    JournalStarted,
    SupporterInvited,
    SupporterJoined,
    SupporterRemoved,
    SupporterRoleChanged,
)
from shared.contracts.journal import FOR_NAME_MAX
from shared.errors import Conflict, FieldError, Forbidden, Invalid, NotFound

_OWN = uuid.UUID("0b6f3c1e-8d4a-4f0e-9a57-3c2d1e0f9b8a")


class Supporter(msgspec.Struct, frozen=True, kw_only=True):
    supporter_id: UUID
    name: str
    role: str
    active: bool


class Journal(msgspec.Struct, frozen=True, kw_only=True):
    journal_id: UUID
    owner_id: UUID | None
    owner_name: str
    started_by: UUID
    stage: str
    supporters: dict[UUID, Supporter] = {}
    pending_stage: str | None = None
    claim_code_hash: str | None = None


def own_journal_id(member_id: UUID) -> UUID:
    """A member's own journal has an id derived from theirs: no look-up, no race to create it."""
    return uuid.uuid5(_OWN, str(member_id))


def code_hash(code: str) -> str:
    """What a claim code is kept and looked up as: never the code itself."""
    return hashlib.sha256(code.strip().encode()).hexdigest()


# --- who may do what -----------------------------------------------------------------------


def access(journal: Journal | None, actor: UUID) -> Access:
    if journal is None:
        return Access.NONE
    supporter = journal.supporters.get(actor)
    return access_of(journal.owner_id, actor, supporter.role if supporter and supporter.active else None)


def require_access(journal: Journal | None, actor: UUID) -> tuple[Journal, Access]:
    """Anyone without access learns nothing, not even that the journal exists."""
    role = access(journal, actor)
    if journal is None or role is Access.NONE:
        raise NotFound("We couldn't find that journal.")
    return journal, role


def require_owner(journal: Journal | None, actor: UUID) -> Journal:
    found, role = require_access(journal, actor)
    if role is not Access.OWNER:
        raise Forbidden("Only the person whose journal this is can do that.")
    return found


def by_supporter(journal: Journal | None, actor: UUID) -> bool:
    """Whether what this person writes in this journal is screened as a supporter's words about
    the member (ADR 12): everyone's but its owner's."""
    return journal is None or journal.owner_id != actor


# --- folding events into state ---------------------------------------------------------------


def evolve_journal(state: Journal | None, event: JournalEvent) -> Journal:
    match event:
        case JournalStarted():
            supporters = {}
            if event.owner_id is None:  # kept by the one who started it
                supporters[event.started_by] = Supporter(
                    supporter_id=event.started_by, name="", role="keeper", active=True
                )
            return Journal(
                journal_id=event.journal_id, owner_id=event.owner_id, owner_name=event.owner_name,
                started_by=event.started_by, stage=event.stage, supporters=supporters,
            )  # fmt: skip
        case JournalClaimed():
            return msgspec.structs.replace(
                required(state), owner_id=event.owner_id, owner_name=event.owner_name, claim_code_hash=None
            )
        case ClaimCodeIssued():
            return msgspec.structs.replace(required(state), claim_code_hash=event.code_hash)
        case SupporterInvited():
            s = Supporter(supporter_id=event.supporter_id, name=event.supporter_name, role=event.role, active=False)
            return _with_supporter(required(state), s)
        case SupporterJoined():
            j = required(state)
            return _with_supporter(
                j, msgspec.structs.replace(j.supporters[event.supporter_id], active=True, role=event.role)
            )
        case SupporterRoleChanged():
            j = required(state)
            return _with_supporter(j, msgspec.structs.replace(j.supporters[event.supporter_id], role=event.role))
        case InvitationDeclined() | SupporterRemoved():
            j = required(state)
            return msgspec.structs.replace(
                j, supporters={k: v for k, v in j.supporters.items() if k != event.supporter_id}
            )
        case HandoverProposed():
            return msgspec.structs.replace(required(state), pending_stage=event.stage)
        case HandoverAccepted():
            return msgspec.structs.replace(required(state), stage=event.stage, pending_stage=None)
        case HandoverDeclined():
            return msgspec.structs.replace(required(state), pending_stage=None)
        case _:
            assert_never(event)


def without(journal: Journal | None, erased: set[UUID]) -> Journal | None:
    """The journal as it stands after erasures (ADR 35): none once it is erased itself (its id or
    its owner's among ``erased``); otherwise without its erased supporters, whose places ended."""
    if journal is None or journal.journal_id in erased or (journal.owner_id is not None and journal.owner_id in erased):
        return None
    if not erased.intersection(journal.supporters):
        return journal
    return msgspec.structs.replace(journal, supporters={k: v for k, v in journal.supporters.items() if k not in erased})


def _with_supporter(journal: Journal, supporter: Supporter) -> Journal:
    return msgspec.structs.replace(journal, supporters={**journal.supporters, supporter.supporter_id: supporter})


# --- decisions: starting and claiming ----------------------------------------------------------


def start_own(journal_id: UUID, member_id: UUID, now: dt.datetime) -> list[JournalEvent]:
    """No name in the event (ADR 35): the read models name the owner from ``people`` by id."""
    return [
        JournalStarted(
            journal_id=journal_id, owner_id=member_id, started_by=member_id, stage="member_keeps", started_at=now
        )
    ]


def start_for(
    journal_id: UUID, for_name: str, keeper_id: UUID, code_hash: str, now: dt.datetime, seal: Seal
) -> list[JournalEvent]:
    """The name given is personal (often a real first name): it is sealed before it is an event."""
    name = " ".join(for_name.split())
    if not 1 <= len(name) <= FOR_NAME_MAX:
        message = f"Please give a first name or nickname of up to {FOR_NAME_MAX} characters."
        raise Invalid(message, errors=(FieldError(field="for_name", message=message),))
    return [
        JournalStarted(
            journal_id=journal_id, owner_id=None, owner_name="", for_name=seal(name), started_by=keeper_id,
            stage="supporter_keeps", started_at=now,
        ),
        ClaimCodeIssued(journal_id=journal_id, code_hash=code_hash, issued_by=keeper_id, issued_at=now),
    ]  # fmt: skip


def claim(journal: Journal | None, member_id: UUID, now: dt.datetime) -> list[JournalEvent]:
    if journal is None or journal.owner_id is not None or journal.claim_code_hash is None:
        raise NotFound("This invitation link is no longer valid. Ask the person who sent it for a new one.")
    if member_id in journal.supporters:
        raise Conflict("You keep this journal for someone else; they need to open this link themselves.")
    return [JournalClaimed(journal_id=journal.journal_id, owner_id=member_id, claimed_at=now)]


# --- decisions: supporters ---------------------------------------------------------------------


def invite(
    journal: Journal | None, actor: UUID, supporter_id: UUID, name: str, role: str, now: dt.datetime
) -> list[JournalEvent]:
    """``name`` is for the messages only: the event carries ids (ADR 35)."""
    j = require_owner(journal, actor)
    if role not in ROLES:
        raise Invalid(
            "Please choose encourager or keeper.",
            errors=(FieldError(field="role", message="Please choose encourager or keeper."),),
        )
    if supporter_id == actor:
        raise Invalid(
            "You can't invite yourself.", errors=(FieldError(field="pseudonym", message="You can't invite yourself."),)
        )
    if supporter_id in j.supporters:
        raise Conflict(f"{name} is already invited or supporting you.")
    return [SupporterInvited(journal_id=j.journal_id, owner_id=actor, supporter_id=supporter_id, role=role, invited_at=now)]  # fmt: skip


def respond(journal: Journal | None, actor: UUID, accept: bool, now: dt.datetime) -> list[JournalEvent]:
    supporter = journal.supporters.get(actor) if journal else None
    if journal is None or supporter is None or supporter.active:
        raise NotFound("There is no open invitation for you here.")
    if accept:
        return [SupporterJoined(journal_id=journal.journal_id, owner_id=journal.owner_id, supporter_id=actor, role=supporter.role, joined_at=now)]  # fmt: skip
    return [InvitationDeclined(journal_id=journal.journal_id, supporter_id=actor, declined_at=now)]


def change_role(
    journal: Journal | None, actor: UUID, supporter_id: UUID, role: str, now: dt.datetime
) -> list[JournalEvent]:
    j = require_owner(journal, actor)
    if role not in ROLES:
        raise Invalid("Please choose encourager or keeper.")
    current = j.supporters.get(supporter_id)
    if current is None:
        raise NotFound("That person is not one of your supporters.")
    if current.role == role:
        return []
    return [SupporterRoleChanged(journal_id=j.journal_id, supporter_id=supporter_id, role=role, changed_at=now)]


def remove(journal: Journal | None, actor: UUID, supporter_id: UUID, now: dt.datetime) -> list[JournalEvent]:
    """The member revokes a supporter at any time; a supporter may also step back."""
    j, role = require_access(journal, actor) if actor != supporter_id else (journal, Access.NONE)
    if j is None or supporter_id not in j.supporters:
        raise NotFound("That person is not one of your supporters.")
    if actor != supporter_id and role is not Access.OWNER:
        raise Forbidden("Only the person whose journal this is can remove a supporter.")
    if j.owner_id is None and supporter_id == j.started_by:
        raise Conflict("This journal is waiting for its owner; its keeper can't leave yet.")
    return [SupporterRemoved(journal_id=j.journal_id, owner_id=j.owner_id, supporter_id=supporter_id, removed_at=now)]


# --- decisions: handover -------------------------------------------------------------------------


def propose_stage(journal: Journal | None, actor: UUID, stage: str, now: dt.datetime) -> list[JournalEvent]:
    if stage not in STAGES:
        raise Invalid("Please choose one of the three stages.")
    j, role = require_access(journal, actor)
    if role is Access.ENCOURAGER:
        raise Forbidden("Only the member or a keeper can propose a handover stage.")
    if stage == j.stage:
        raise Conflict("The journal is already at that stage.")
    if role is Access.KEEPER and j.pending_stage is not None:
        raise Conflict(
            "A handover step is already waiting for an answer. It stays as it is until it is accepted or"
            " declined; then you can propose another."
        )
    proposed = HandoverProposed(
        journal_id=j.journal_id, owner_id=j.owner_id, stage=stage, proposed_by=actor, proposed_at=now
    )
    if role is Access.OWNER:  # the member's own proposal needs no second step
        return [proposed, HandoverAccepted(journal_id=j.journal_id, owner_id=actor, stage=stage, accepted_at=now)]
    return [proposed]


def accept_stage(journal: Journal | None, actor: UUID, now: dt.datetime) -> list[JournalEvent]:
    j = require_owner(journal, actor)
    if j.pending_stage is None:
        raise Conflict("There is no handover proposal waiting for you.")
    return [HandoverAccepted(journal_id=j.journal_id, owner_id=actor, stage=j.pending_stage, accepted_at=now)]


def decline_stage(journal: Journal | None, actor: UUID, now: dt.datetime) -> list[JournalEvent]:
    j = require_owner(journal, actor)
    if j.pending_stage is None:
        raise Conflict("There is no handover proposal waiting for you.")
    return [HandoverDeclined(journal_id=j.journal_id, owner_id=actor, stage=j.pending_stage, declined_at=now)]
