"""Encouragement (one of each kind per reader and story, which can be taken back) and each
reader's choice of content warnings to hide or blur. Pure; no I/O, no clock."""

from __future__ import annotations

import datetime as dt
from typing import assert_never
from uuid import UUID

import msgspec

from services.stories import access
from services.stories.commands import Who
from services.stories.domain import Post
from services.stories.events import CheerEvent, Encouraged, EncouragementTakenBack, WarningPreferencesSet
from shared.contracts.vocabulary import CONTENT_WARNINGS, ENCOURAGEMENTS
from shared.errors import Conflict, FieldError, Invalid, NotFound


class Cheers(msgspec.Struct, frozen=True, kw_only=True):
    """What one reader has sent to one story."""

    kinds: frozenset[str] = frozenset()


def evolve(state: Cheers | None, event: CheerEvent) -> Cheers:
    kinds = state.kinds if state else frozenset()
    match event:
        case Encouraged():
            return Cheers(kinds=kinds | {event.kind})
        case EncouragementTakenBack():
            return Cheers(kinds=kinds - {event.kind})
        case _:
            assert_never(event)


def _kind(kind: str) -> str:
    if kind not in ENCOURAGEMENTS:
        choices = ", ".join(ENCOURAGEMENTS)
        raise Invalid(
            f"Choose one of: {choices}.", errors=(FieldError(field="kind", message=f"Choose one of: {choices}."),)
        )
    return kind


def encourage(story: Post | None, cheers: Cheers | None, who: Who, kind: str, now: dt.datetime) -> list[CheerEvent]:
    if story is None or story.kind != "story" or not access.public(story):
        raise NotFound("We couldn't find that story.")
    if access.is_own(story, who):
        raise Conflict("This is your own story: encouragement is for others to give you.")
    if _kind(kind) in (cheers.kinds if cheers else ()):
        raise Conflict(f"You already sent “{ENCOURAGEMENTS[kind]}” to this story.")
    return [Encouraged(
        story_id=story.item_id, story_author_id=story.author_id, reader_id=who.actor_id, kind=kind,
        encouraged_at=now,
    )]  # fmt: skip


def take_back(story_id: UUID, cheers: Cheers | None, who: Who, kind: str, now: dt.datetime) -> list[CheerEvent]:
    if _kind(kind) not in (cheers.kinds if cheers else ()):
        raise NotFound(f"You haven't sent “{ENCOURAGEMENTS[kind]}” to this story.")
    return [EncouragementTakenBack(story_id=story_id, reader_id=who.actor_id, kind=kind, taken_back_at=now)]


def set_warnings(who: Who, hide: tuple[str, ...], blur: tuple[str, ...], now: dt.datetime) -> WarningPreferencesSet:
    """Which warnings to hide and which to blur, everywhere; hiding wins over blurring."""
    for field, chosen in (("hide", hide), ("blur", blur)):
        if unknown := [w for w in chosen if w not in CONTENT_WARNINGS]:
            message = f"Unknown warning {unknown[0]!r}; choose from the list."
            raise Invalid(message, errors=(FieldError(field=field, message=message),))
    hidden = tuple(dict.fromkeys(hide))
    blurred = tuple(w for w in dict.fromkeys(blur) if w not in hidden)
    return WarningPreferencesSet(member_id=who.actor_id, hide=hidden, blur=blurred, set_at=now)
