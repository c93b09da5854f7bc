"""The observation aggregate: what a supporter noticed, and what the member decided about it.
Pure functions; no I/O, no clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import assert_never
from uuid import UUID

import msgspec

from services.journal.access import Access
from services.journal.domain.common import RESOLUTIONS, Seal, check_short_text, required
from services.journal.domain.journal import Journal, require_access, require_owner
from services.journal.events import ObservationAdded, ObservationEvent, ObservationResolved
from shared.errors import Conflict, Forbidden, Invalid, NotFound


class Observation(msgspec.Struct, frozen=True, kw_only=True):
    observation_id: UUID
    journal_id: UUID
    author_id: UUID
    text: str  # as sealed in the event
    author_sealed: bool
    added_at: dt.datetime
    resolved: bool = False


Keep = Callable[[Observation], str]
"""The text of an observation sealed again with the journal's key alone: the member's own copy."""


def evolve_observation(state: Observation | None, event: ObservationEvent) -> Observation:
    match event:
        case ObservationAdded():
            return Observation(
                observation_id=event.observation_id, journal_id=event.journal_id, author_id=event.author_id,
                text=event.text, author_sealed=event.author_sealed, added_at=event.added_at,
            )  # fmt: skip
        case ObservationResolved():
            return msgspec.structs.replace(required(state), resolved=True)
        case _:
            assert_never(event)


def observe(
    journal: Journal | None, actor: UUID, observation_id: UUID, text: str, seal: Seal, now: dt.datetime
) -> list[ObservationEvent]:
    """``seal`` seals twice: with the author's key inside, the journal's outside (ADR 35)."""
    j, role = require_access(journal, actor)
    if role is Access.OWNER:
        raise Forbidden("Observations come from supporters; record it as an entry instead.")
    check_short_text(text)
    return [
        ObservationAdded(
            observation_id=observation_id, journal_id=j.journal_id, owner_id=j.owner_id, author_id=actor,
            text=seal(text.strip()), added_at=now, author_sealed=True,
        )
    ]  # fmt: skip


def resolve(
    journal: Journal | None,
    observation: Observation | None,
    actor: UUID,
    resolution: str,
    now: dt.datetime,
    keep: Keep,
) -> list[ObservationEvent]:
    """Accepted, the observation becomes the member's record: the event carries it whole, its text
    sealed with the journal's key alone (``keep``), so that it stays when its author leaves."""
    j = require_owner(journal, actor)
    if observation is None or observation.journal_id != j.journal_id:
        raise NotFound("We couldn't find that observation.")
    if resolution not in RESOLUTIONS:
        raise Invalid("Please keep it private, add it to your record, or dismiss it.")
    if observation.resolved:
        raise Conflict("You have already decided about this observation.")
    o = observation
    if resolution != "accepted":
        return [ObservationResolved(observation_id=o.observation_id, resolution=resolution, resolved_at=now)]
    return [
        ObservationResolved(
            observation_id=o.observation_id, resolution=resolution, resolved_at=now, journal_id=o.journal_id,
            author_id=o.author_id, added_at=o.added_at, record=keep(o),
        )
    ]  # fmt: skip
