"""The observation aggregate: what a supporter noticed, and what the member decided about it.
Pure functions; no I/O, no clock."""

from __future__ import annotations

import datetime as dt
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
    resolved: bool = False


def evolve_observation(state: Observation | None, event: ObservationEvent) -> Observation:
    match event:
        case ObservationAdded():
            return Observation(observation_id=event.observation_id, journal_id=event.journal_id)
        case ObservationResolved():
            return msgspec.structs.replace(required(state), resolved=True)
        case _:
            assert_never(event)


def observe(
    journal: Journal | None, actor: UUID, observation_id: UUID, text: str, seal: Seal, now: dt.datetime
) -> list[ObservationEvent]:
    j, role = require_access(journal, actor)
    if role is Access.OWNER:
        raise Forbidden("Observations come from supporters; record it as an entry instead.")
    check_short_text(text)
    return [ObservationAdded(observation_id=observation_id, journal_id=j.journal_id, owner_id=j.owner_id, author_id=actor, text=seal(text.strip()), added_at=now)]  # fmt: skip


def resolve(
    journal: Journal | None, observation: Observation | None, actor: UUID, resolution: str, now: dt.datetime
) -> list[ObservationEvent]:
    j = require_owner(journal, actor)
    if observation is None or observation.journal_id != j.journal_id:
        raise NotFound("We couldn't find that observation.")
    if resolution not in RESOLUTIONS:
        raise Invalid("Please keep it private, add it to your record, or dismiss it.")
    if observation.resolved:
        raise Conflict("You have already decided about this observation.")
    return [ObservationResolved(observation_id=observation.observation_id, resolution=resolution, resolved_at=now)]
