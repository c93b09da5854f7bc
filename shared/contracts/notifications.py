from __future__ import annotations

import datetime as dt
from typing import Annotated, Final, Literal, get_args
from uuid import UUID

import msgspec

from shared.contracts.common import Acted
from shared.contracts.notification_prefs import (
    PreferencesRequest,
    PreferencesView,
    SetPreferencesRequest,
    UnsubscribeRequest,
    UnsubscribeView,
)
from shared.contracts.verbs import Verb

SERVICE = "notifications"

# The limits of the inbox, named once: the wire types, the HTTP schemas and the pages take them here.
PAGE_DEFAULT, PAGE_MAX = 20, 100
CURSOR_MAX = 80
CURSOR_PATTERN = r"^$|^[0-9T:.+\-]+\|[0-9a-f\-]{36}$"
Limit = Annotated[int, msgspec.Meta(ge=1, le=PAGE_MAX)]
Cursor = Annotated[str, msgspec.Meta(max_length=CURSOR_MAX, pattern=CURSOR_PATTERN)]
POSITION_MAX = (1 << 63) - 1
Position = Annotated[int, msgspec.Meta(ge=-1, le=POSITION_MAX)]
TargetKind = Literal["story", "journal"]
TARGET_KINDS: Final[tuple[TargetKind, ...]] = get_args(TargetKind)
"""What a member may mute: a story (its encouragement and replies) or a journal's notes and observations."""


class InboxRequest(Acted, frozen=True, kw_only=True):
    """A page of the acting member's own inbox, newest first (who acts comes from the actor header);
    ``cursor`` is the ``next_cursor`` of the page before."""

    limit: Limit = PAGE_DEFAULT
    cursor: Cursor = ""


class InboxItem(msgspec.Struct, frozen=True, kw_only=True):
    """One item: its words, when it last changed, whether it is read, and what it is about
    (``about``: story, my-stories, journal, supported, supporters or home; ``about_id``: the story
    or journal), for its link and its mute button."""

    notification_id: UUID
    kind: str
    title: str
    body: str
    created_at: dt.datetime
    updated_at: dt.datetime | None = None
    read: bool = False
    about: str = "home"
    about_id: UUID | None = None
    muted: bool = False


class InboxView(msgspec.Struct, frozen=True, kw_only=True):
    items: tuple[InboxItem, ...]
    next_cursor: str = ""  # "" on the last page
    unread: int = 0


class UnreadRequest(Acted, frozen=True, kw_only=True):
    """How many of the acting member's items are unread."""


class UnreadView(msgspec.Struct, frozen=True, kw_only=True):
    count: int


class ChangesRequest(Acted, frozen=True, kw_only=True):
    """What changed in the acting member's inbox after ``after`` (an inbox position, the id of the
    last live event a page saw); -1, or a position the inbox has not reached, means "from now"."""

    after: Position = -1


class ChangesView(msgspec.Struct, frozen=True, kw_only=True):
    """The inbox's position now, its unread count, and the items written or grown after the
    position asked about, newest first (at most ``PAGE_DEFAULT``; none when asked "from now")."""

    position: int
    unread: int
    items: tuple[InboxItem, ...] = ()


class InboxChangedSeen(msgspec.Struct, frozen=True, kw_only=True):
    """What web reads of ``INBOX_CHANGED``: whose inbox changed, its position now, how many are
    unread. It carries no item: web asks ``CHANGES`` as the member, so only they hear what changed."""

    member_id: UUID
    position: int
    unread: int


class ReadRequest(Acted, frozen=True, kw_only=True):
    """Mark one of the acting member's own items read (anyone else's is not found)."""

    notification_id: UUID


class ReadAllRequest(Acted, frozen=True, kw_only=True):
    """Mark every item of the acting member read."""


class ReadView(msgspec.Struct, frozen=True, kw_only=True):
    marked: int  # how many items were unread and are read now


class MuteRequest(Acted, frozen=True, kw_only=True):
    target_kind: TargetKind
    target_id: UUID


class MuteView(msgspec.Struct, frozen=True, kw_only=True):
    target_kind: str
    target_id: UUID
    muted: bool


# The notifications service's verbs, served by services/notifications/endpoints.py.
INBOX = Verb(SERVICE, "inbox", InboxRequest, InboxView)
UNREAD = Verb(SERVICE, "unread", UnreadRequest, UnreadView)
MARK_READ = Verb(SERVICE, "mark_read", ReadRequest, ReadView)
MARK_ALL_READ = Verb(SERVICE, "mark_all_read", ReadAllRequest, ReadView)
MUTE = Verb(SERVICE, "mute", MuteRequest, MuteView)
UNMUTE = Verb(SERVICE, "unmute", MuteRequest, MuteView)
CHANGES = Verb(SERVICE, "changes", ChangesRequest, ChangesView)
PREFERENCES = Verb(SERVICE, "preferences", PreferencesRequest, PreferencesView)
SET_PREFERENCES = Verb(SERVICE, "set_preferences", SetPreferencesRequest, PreferencesView)
UNSUBSCRIBE = Verb(SERVICE, "unsubscribe", UnsubscribeRequest, UnsubscribeView)  # web, for a signed link

INBOX_CHANGED: Final = "notifications.inbox_changed.v1"
"""The one notifications event web follows (live pages): a member's inbox moved on. Published;
content-free (``InboxChangedSeen``)."""
