"""Wire contracts of the journal's supporters, served by the journal service: inviting a
supporter and answering, roles, stepping back, the handover stages, a journal started for someone
and claimed by them, and the journals a supporter keeps or encourages. Split from
``shared.contracts.journal`` (entries, notes, observations, the timeline and progress); the limits
are the journal contract's."""

from __future__ import annotations

from uuid import UUID

import msgspec

from shared.contracts.accounts import Pseudonym
from shared.contracts.common import MaybeActed
from shared.contracts.journal import (
    SERVICE,
    Actor,
    ClaimCode,
    Creating,
    ForName,
    JournalRequest,
    Saved,
    SupportedJournal,
)
from shared.contracts.verbs import Verb


class InviteRequest(Creating, frozen=True, kw_only=True):
    pseudonym: Pseudonym
    role: str


class RespondRequest(Actor, frozen=True, kw_only=True):
    journal_id: UUID
    accept: bool


class SupporterRequest(Actor, frozen=True, kw_only=True):
    journal_id: UUID | None = None
    supporter_id: UUID
    role: str = ""


class StageRequest(Actor, frozen=True, kw_only=True):
    journal_id: UUID | None = None
    stage: str


class StartForRequest(Creating, frozen=True, kw_only=True):
    for_name: ForName


class ClaimRequest(Actor, frozen=True, kw_only=True):
    code: ClaimCode


class ClaimCodeRequest(MaybeActed, frozen=True, kw_only=True):
    """Whether a claim link is still good: asked before anyone has signed in."""

    code: ClaimCode


class ClaimCheck(msgspec.Struct, frozen=True, kw_only=True):
    """Whether a claim link still works (unknown and used codes do not)."""

    valid: bool


class StartedFor(msgspec.Struct, frozen=True, kw_only=True):
    journal_id: UUID
    claim_code: str


class SupportingView(msgspec.Struct, frozen=True, kw_only=True):
    journals: tuple[SupportedJournal, ...]


INVITE = Verb(SERVICE, "invite", InviteRequest, Saved)
RESPOND = Verb(SERVICE, "respond", RespondRequest, Saved)
CHANGE_ROLE = Verb(SERVICE, "change_role", SupporterRequest, Saved)
REMOVE_SUPPORTER = Verb(SERVICE, "remove_supporter", SupporterRequest, Saved)
PROPOSE_STAGE = Verb(SERVICE, "propose_stage", StageRequest, Saved)
ACCEPT_STAGE = Verb(SERVICE, "accept_stage", JournalRequest, Saved)
DECLINE_STAGE = Verb(SERVICE, "decline_stage", JournalRequest, Saved)
START_FOR = Verb(SERVICE, "start_for", StartForRequest, StartedFor)
CLAIM = Verb(SERVICE, "claim", ClaimRequest, Saved)
SUPPORTING = Verb(SERVICE, "supporting", Actor, SupportingView)
CHECK_CLAIM = Verb(SERVICE, "check_claim", ClaimCodeRequest, ClaimCheck)
