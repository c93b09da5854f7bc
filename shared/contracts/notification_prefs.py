"""How a member wants to hear things (docs/adr/0031-notification-mail-and-schedules.md): per
topic in-app, e-mail, a daily digest or off; quiet hours; the digest's hour; check-in reminders.
The limits are named here once: the wire types, the HTTP schemas, the page and the domain take them."""

from __future__ import annotations

from typing import Annotated, Final, Literal, get_args
from uuid import UUID

import msgspec

from shared.contracts.common import Acted

SERVICE = "notifications"

Channel = Literal["in_app", "email", "digest", "off"]
CHANNELS: Final[tuple[Channel, ...]] = get_args(Channel)
CHANNEL_LABELS: Final[dict[str, str]] = {
    "in_app": "In the app", "email": "By e-mail", "digest": "In a daily e-mail", "off": "Not at all",
}  # fmt: skip

Topic = Literal[
    "story_decision", "reached_out", "encouraged", "replied", "invited", "supporters", "handover",
    "entry_for_you", "notes",
]  # fmt: skip
TOPICS: Final[tuple[Topic, ...]] = get_args(Topic)
TOPIC_LABELS: Final[dict[str, str]] = {
    "story_decision": "A moderator's decision on your story or reply",
    "reached_out": "A moderator reaching out to you",
    "encouraged": "Encouragement on your story",
    "replied": "Replies to your story, or to your reply",
    "invited": "An invitation to support someone",
    "supporters": "Supporters joining or stepping back",
    "handover": "Handover steps",
    "entry_for_you": "Entries written for you",
    "notes": "Notes and observations from supporters",
}
ALWAYS_TOLD: Final[frozenset[str]] = frozenset({"story_decision"})
"""Topics that cannot be turned off: an author always learns what happened to their content."""

Unsubscribable = Literal[Topic, "digest", "reminder"]
"""What a mail's one-click unsubscribe may name: a topic's e-mails, the digest or the reminders."""

TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"
ClockTime = Annotated[str, msgspec.Meta(pattern=TIME_PATTERN, min_length=5, max_length=5)]
Hour = Annotated[int, msgspec.Meta(ge=0, le=23)]
TOPIC_MAX = 32
SIGNATURE_MAX = 64
Signature = Annotated[str, msgspec.Meta(max_length=SIGNATURE_MAX, pattern=r"^[A-Za-z0-9_\-]*$")]


class Preferences(msgspec.Struct, frozen=True, kw_only=True):
    """A member's choices (the defaults until they choose)."""

    channels: dict[str, Channel]  # topic -> channel; an unknown topic is refused by the domain, by name
    quiet_hours: bool
    quiet_start: ClockTime
    quiet_end: ClockTime
    digest_hour: Hour
    reminder: bool
    reminder_time: ClockTime


class PreferencesRequest(Acted, frozen=True, kw_only=True):
    """The acting member's own preferences."""


class SetPreferencesRequest(Acted, frozen=True, kw_only=True):
    """Replace the acting member's preferences; a topic left out keeps its channel."""

    preferences: Preferences


class PreferencesView(msgspec.Struct, frozen=True, kw_only=True):
    preferences: Preferences
    time_zone: str = ""  # the zone quiet hours, the digest and reminders keep ("" until chosen: UTC)


class UnsubscribeRequest(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A one-click unsubscribe link from a mail: who, from what, and its signature. ``confirm``
    False only checks the link (the page with the button); True unsubscribes."""

    member_id: UUID
    topic: str
    signature: Signature
    confirm: bool = False


class UnsubscribeView(msgspec.Struct, frozen=True, kw_only=True):
    topic: str
    label: str  # what the member stops getting, in words
    done: bool
