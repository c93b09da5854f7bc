"""Muting: a member's muted targets, folded from their mute events, and the decisions. Pure."""

from __future__ import annotations

import datetime as dt
from typing import assert_never
from uuid import UUID

from services.notifications.events import MuteEvent, TargetMuted, TargetUnmuted

Muted = frozenset[tuple[str, UUID]]


def evolve(state: Muted | None, event: MuteEvent) -> Muted:
    muted = state or frozenset()
    match event:
        case TargetMuted():
            return muted | {(event.target_kind, event.target_id)}
        case TargetUnmuted():
            return muted - {(event.target_kind, event.target_id)}
        case _:
            assert_never(event)


def mute(state: Muted | None, member: UUID, kind: str, target: UUID, now: dt.datetime) -> list[MuteEvent]:
    """Mute a target; muting it again changes nothing."""
    if (kind, target) in (state or frozenset()):
        return []
    return [TargetMuted(member_id=member, target_kind=kind, target_id=target, muted_at=now)]


def unmute(state: Muted | None, member: UUID, kind: str, target: UUID, now: dt.datetime) -> list[MuteEvent]:
    if (kind, target) not in (state or frozenset()):
        return []
    return [TargetUnmuted(member_id=member, target_kind=kind, target_id=target, unmuted_at=now)]
