"""How a member wants to hear things (docs/adr/0031-notification-mail-and-schedules.md): per kind
in-app, e-mail, a daily digest or off; quiet hours; the digest's hour; check-in reminders.
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

Kind = Literal[
    "encouraged", "replied", "reply_to_reply",
    "approved", "changes_requested", "removed", "appeal_decided", "reached_out",
    "invited", "supporter_joined", "supporter_left", "entry_for_you", "notes", "handover",
]  # fmt: skip
"""What a member chooses how to hear about: the kinds of news a person recognises (an inbox item's
own kind maps to one of them in the notifications domain: ``rejected`` is ``removed``, a note and
an observation are ``notes``, every handover step is ``handover``)."""
KINDS: Final[tuple[Kind, ...]] = get_args(Kind)
KIND_LABELS: Final[dict[str, str]] = {
    "encouraged": "Encouragement on your story",
    "replied": "Replies to your story",
    "reply_to_reply": "Replies to your replies",
    "approved": "Approval of your story or reply",
    "changes_requested": "Your story or reply sent back with guidance",
    "removed": "Your story or reply not approved or removed, with the reason",
    "appeal_decided": "The decision on your appeal",
    "reached_out": "A moderator reaching out to you",
    "invited": "Invitations to support someone",
    "supporter_joined": "A supporter joining",
    "supporter_left": "A supporter stepping back",
    "entry_for_you": "Entries written for you",
    "notes": "Notes and observations for you",
    "handover": "Handover steps, proposed or answered",
}
KIND_GROUPS: Final[tuple[tuple[str, tuple[Kind, ...]], ...]] = (
    ("Your stories", ("encouraged", "replied", "reply_to_reply")),
    ("From the moderators", ("approved", "changes_requested", "removed", "appeal_decided", "reached_out")),
    ("Journals and supporters",
     ("invited", "supporter_joined", "supporter_left", "entry_for_you", "notes", "handover")),
)  # fmt: skip
"""The kinds under short headings, as the settings page shows them (every kind once)."""
ALWAYS_TOLD: Final[frozenset[str]] = frozenset({"approved", "changes_requested", "removed", "appeal_decided"})
"""Kinds that cannot be turned off: an author always learns what happened to their content."""

TOPICS_BEFORE_KINDS: Final[dict[str, tuple[Kind, ...]]] = {
    "story_decision": ("approved", "changes_requested", "removed", "appeal_decided"),
    "reached_out": ("reached_out",), "encouraged": ("encouraged",), "replied": ("replied", "reply_to_reply"),
    "invited": ("invited",), "supporters": ("supporter_joined", "supporter_left"), "handover": ("handover",),
    "entry_for_you": ("entry_for_you",), "notes": ("notes",),
}  # fmt: skip
"""The nine topics members chose by before they chose per kind, and the kinds each one is now:
older events and already-sent unsubscribe links name topics (upcast on read, never rewritten)."""

DIGEST, REMINDER = "digest", "reminder"
"""What a one-click unsubscribe may name besides kinds: the daily e-mail, and the reminders."""

TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"
ClockTime = Annotated[str, msgspec.Meta(pattern=TIME_PATTERN, min_length=5, max_length=5)]
Hour = Annotated[int, msgspec.Meta(ge=0, le=23)]
KIND_MAX = 32
UNSUBSCRIBE_MAX = 256  # what a link names: kinds (and "digest") joined by commas
SIGNATURE_MAX = 64
Signature = Annotated[str, msgspec.Meta(max_length=SIGNATURE_MAX, pattern=r"^[A-Za-z0-9_\-]*$")]


class Preferences(msgspec.Struct, frozen=True, kw_only=True):
    """A member's choices (the defaults until they choose)."""

    channels: dict[str, Channel]  # kind -> channel; an unknown kind is refused by the domain, by name
    quiet_hours: bool
    quiet_start: ClockTime
    quiet_end: ClockTime
    digest_hour: Hour
    reminder: bool
    reminder_time: ClockTime


class PreferencesRequest(Acted, frozen=True, kw_only=True):
    """The acting member's own preferences."""


class SetPreferencesRequest(Acted, frozen=True, kw_only=True):
    """Replace the acting member's preferences; a kind left out keeps its channel."""

    preferences: Preferences


class PreferencesView(msgspec.Struct, frozen=True, kw_only=True):
    preferences: Preferences
    time_zone: str = ""  # the zone quiet hours, the digest and reminders keep ("" until chosen: UTC)


class UnsubscribeRequest(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A one-click unsubscribe link from a mail: who, from what, and its signature. ``what`` is a
    kind, ``digest`` or ``reminder``, or several kinds joined by commas (a daily e-mail that held
    mail the day's limit kept back); a link sent before kinds names a topic. ``confirm`` False only
    checks the link (the page with the button); True unsubscribes."""

    member_id: UUID
    what: Annotated[str, msgspec.Meta(max_length=UNSUBSCRIBE_MAX)]
    signature: Signature
    confirm: bool = False


class UnsubscribeView(msgspec.Struct, frozen=True, kw_only=True):
    what: Annotated[str, msgspec.Meta(max_length=UNSUBSCRIBE_MAX)]
    label: str  # what the member stops getting, in words
    done: bool
