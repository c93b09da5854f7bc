"""A member's notification preferences: folded from their events, and the decisions. Pure.

Each inbox kind belongs to a topic; a topic is heard in the app, by e-mail, in the daily digest,
or not at all. The defaults are gentle: everything in the app; by e-mail only what a person would
want to hear promptly (a moderator's decision, a moderator reaching out, an invitation);
reminders off."""

from __future__ import annotations

import datetime as dt
from typing import assert_never, cast
from uuid import UUID

import msgspec

from services.notifications.events import PreferenceEvent, PreferencesSet, Unsubscribed
from shared.contracts.notification_prefs import ALWAYS_TOLD, CHANNELS, TOPIC_LABELS, TOPICS, Channel, Preferences
from shared.errors import Invalid

TOPIC_OF: dict[str, str] = {
    "approved": "story_decision", "rejected": "story_decision", "changes_requested": "story_decision",
    "removed": "story_decision", "appeal_decided": "story_decision", "reached_out": "reached_out",
    "encouraged": "encouraged", "replied": "replied", "reply_to_reply": "replied", "invited": "invited",
    "supporter_joined": "supporters", "supporter_left": "supporters",
    "handover_proposed": "handover", "handover_accepted": "handover", "handover_declined": "handover",
    "stage_moved": "handover", "entry_for_you": "entry_for_you", "note": "notes", "observation": "notes",
}  # fmt: skip
"""The topic of every inbox kind (the welcome note has none: it is only ever in the app)."""

_EMAIL_FIRST = frozenset({"story_decision", "reached_out", "invited"})
DEFAULTS = Preferences(
    channels={t: ("email" if t in _EMAIL_FIRST else "in_app") for t in TOPICS},
    quiet_hours=True, quiet_start="22:00", quiet_end="08:00", digest_hour=18, reminder=False, reminder_time="19:00",
)  # fmt: skip
UNSUBSCRIBE_LABELS = {**{t: f"E-mails about: {label.lower()}" for t, label in TOPIC_LABELS.items()},
                      "digest": "The daily e-mail", "reminder": "Check-in reminders"}  # fmt: skip


def channel_for(prefs: Preferences, kind: str) -> Channel:
    """How the member hears of an inbox item of ``kind``."""
    topic = TOPIC_OF.get(kind)
    if topic is None:
        return "in_app"
    return prefs.channels.get(topic, DEFAULTS.channels[topic])


def evolve(state: Preferences | None, event: PreferenceEvent) -> Preferences:
    prefs = state or DEFAULTS
    match event:
        case PreferencesSet():
            return Preferences(
                channels={**prefs.channels, **cast("dict[str, Channel]", event.channels)}, quiet_hours=event.quiet_hours,
                quiet_start=event.quiet_start, quiet_end=event.quiet_end, digest_hour=event.digest_hour,
                reminder=event.reminder, reminder_time=event.reminder_time,
            )  # fmt: skip
        case Unsubscribed():
            return _without(prefs, event.topic)
        case _:
            assert_never(event)


def _without(prefs: Preferences, topic: str) -> Preferences:
    if topic == "reminder":
        return msgspec.structs.replace(prefs, reminder=False)
    channels: dict[str, Channel] = dict(prefs.channels)
    for t, c in prefs.channels.items():
        if (t == topic and c == "email") or (topic == "digest" and c == "digest"):
            channels[t] = "in_app"
    return msgspec.structs.replace(prefs, channels=channels)


def choose(state: Preferences | None, member: UUID, chosen: Preferences, now: dt.datetime) -> list[PreferencesSet]:
    """Record what the member chose; nothing if it is what they have already."""
    for topic, channel in chosen.channels.items():
        if topic not in TOPICS:
            raise Invalid(f"There is no kind of notification called “{topic}”.")
        if channel not in CHANNELS:
            raise Invalid(f"“{channel}” is not a way to hear things: choose in the app, e-mail, digest or off.")
        if channel == "off" and topic in ALWAYS_TOLD:
            raise Invalid("You'll always hear what a moderator decided about what you wrote.")
    event = PreferencesSet(
        member_id=member, channels={t: str(c) for t, c in chosen.channels.items()}, quiet_hours=chosen.quiet_hours,
        quiet_start=chosen.quiet_start, quiet_end=chosen.quiet_end, digest_hour=chosen.digest_hour,
        reminder=chosen.reminder, reminder_time=chosen.reminder_time, set_at=now,
    )  # fmt: skip
    return [] if evolve(state, event) == (state or DEFAULTS) else [event]


def unsubscribe(state: Preferences | None, member: UUID, topic: str, now: dt.datetime) -> list[Unsubscribed]:
    """One-click unsubscribe from a mail; nothing if it is off already."""
    if topic not in UNSUBSCRIBE_LABELS:
        raise Invalid("That link does not name anything you can unsubscribe from.")
    event = Unsubscribed(member_id=member, topic=topic, unsubscribed_at=now)
    return [] if evolve(state, event) == (state or DEFAULTS) else [event]
