"""What callers ask the stories service to do (checked by the domain, never trusted)."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

import msgspec

from services.stories import access


class Who(msgspec.Struct, frozen=True, kw_only=True):
    """The acting member and their roles (set by web from the session, checked here)."""

    actor_id: UUID
    roles: frozenset[str] = frozenset()

    @property
    def moderator(self) -> bool:
        return access.is_moderator(self.roles)


class Screened(msgspec.Struct, frozen=True, kw_only=True):
    """What screening found in the text, handed in by the handler (the domain does no screening)."""

    urgent: bool = False
    overruled: bool = False  # the rules found present risk and the learned layer did not: a moderator looks first
    flags: tuple[str, ...] = ()
    personal: dict[str, str] = {}  # field -> what was found, in words the writer can act on

    @property
    def held_for_a_moderator(self) -> bool:
        """Never published before a moderator has seen it, however trusted the writer."""
        return self.urgent or self.overruled


class StoryText(msgspec.Struct, frozen=True, kw_only=True):
    title: str
    body: str
    themes: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


class SubmitStory(msgspec.Struct, frozen=True, kw_only=True):
    item_id: UUID
    author: Who
    pseudonym: str
    text: StoryText
    trusted: bool
    screened: Screened
    now: dt.datetime


class ReviseStory(msgspec.Struct, frozen=True, kw_only=True):
    author: Who
    text: StoryText
    screened: Screened
    now: dt.datetime
    expected_version: int | None = None  # the version the author saw; None: whatever it is now


class SubmitReply(msgspec.Struct, frozen=True, kw_only=True):
    item_id: UUID
    author: Who
    pseudonym: str
    body: str
    trusted: bool
    screened: Screened
    now: dt.datetime
    in_reply_to: UUID | None = None  # a reply on the same story that this one answers


class Moderate(msgspec.Struct, frozen=True, kw_only=True):
    """approve | reject | request_changes | remove, by a moderator."""

    moderator: Who
    action: str
    reason: str = ""
    guidance: str = ""
    now: dt.datetime
