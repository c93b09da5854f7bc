"""A member's notification preferences: folded from their events, and the decisions. Pure.

Each inbox kind belongs to a kind a person recognises (``KIND_OF``: a rejection and a removal are
both ``removed``, a note and an observation are ``notes``, every handover step is ``handover``);
each is heard in the app, by e-mail, in the daily digest, or not at all. The defaults are gentle:
everything in the app; by e-mail only what a person would want to hear promptly (a moderator's
decision, a moderator reaching out, an invitation); reminders off. Events from before kinds
named topics: the registry upcasts them on read (``events.kinds_of_topic``)."""

from __future__ import annotations

import datetime as dt
from typing import assert_never, cast
from uuid import UUID

import msgspec

from services.notifications.events import PreferenceEvent, PreferencesSet, Unsubscribed, kinds_of_topic
from shared.contracts.notification_prefs import (
    ALWAYS_TOLD,
    CHANNELS,
    DIGEST,
    KIND_LABELS,
    KINDS,
    REMINDER,
    TOPICS_BEFORE_KINDS,
    Channel,
    Preferences,
)
from shared.errors import Invalid

KIND_OF: dict[str, str] = {
    "encouraged": "encouraged", "replied": "replied", "reply_to_reply": "reply_to_reply",
    "approved": "approved", "changes_requested": "changes_requested", "rejected": "removed", "removed": "removed",
    "appeal_decided": "appeal_decided", "reached_out": "reached_out", "invited": "invited",
    "supporter_joined": "supporter_joined", "supporter_left": "supporter_left", "entry_for_you": "entry_for_you",
    "note": "notes", "observation": "notes", "handover_proposed": "handover", "handover_accepted": "handover",
    "handover_declined": "handover", "stage_moved": "handover",
}  # fmt: skip
"""The preference kind of every inbox kind (the welcome note has none: it is only ever in the app)."""

_EMAIL_FIRST = frozenset({*ALWAYS_TOLD, "reached_out", "invited"})
DEFAULTS = Preferences(
    channels={k: ("email" if k in _EMAIL_FIRST else "in_app") for k in KINDS},
    quiet_hours=True, quiet_start="22:00", quiet_end="08:00", digest_hour=18, reminder=False, reminder_time="19:00",
)  # fmt: skip
_STOPPING = {DIGEST: "The daily e-mail", REMINDER: "Check-in reminders"}


def channel_for(prefs: Preferences, kind: str) -> Channel:
    """How the member hears of an inbox item of ``kind``."""
    chosen = KIND_OF.get(kind)
    if chosen is None:
        return "in_app"
    return prefs.channels.get(chosen, DEFAULTS.channels[chosen])


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
            return _without(prefs, event.stops)
        case _:
            assert_never(event)


def _without(prefs: Preferences, stops: tuple[str, ...]) -> Preferences:
    channels: dict[str, Channel] = dict(prefs.channels)
    for kind, channel in prefs.channels.items():
        if (kind in stops and channel == "email") or (DIGEST in stops and channel == "digest"):
            channels[kind] = "in_app"
    return msgspec.structs.replace(prefs, channels=channels, reminder=prefs.reminder and REMINDER not in stops)


def _unknown(kind: str) -> Invalid:
    became = TOPICS_BEFORE_KINDS.get(kind)
    if became and became != (kind,):
        return Invalid(f"There is no kind of notification called “{kind}” any more: choose {', '.join(became)}.")
    return Invalid(f"There is no kind of notification called “{kind}”.")


def choose(state: Preferences | None, member: UUID, chosen: Preferences, now: dt.datetime) -> list[PreferencesSet]:
    """Record what the member chose; nothing if it is what they have already."""
    for kind, channel in chosen.channels.items():
        if kind not in KINDS:
            raise _unknown(kind)
        if channel not in CHANNELS:
            raise Invalid(f"“{channel}” is not a way to hear things: choose in the app, e-mail, digest or off.")
        if channel == "off" and kind in ALWAYS_TOLD:
            raise Invalid("You'll always hear what a moderator decided about what you wrote.")
    event = PreferencesSet(
        member_id=member, channels={k: str(c) for k, c in chosen.channels.items()}, quiet_hours=chosen.quiet_hours,
        quiet_start=chosen.quiet_start, quiet_end=chosen.quiet_end, digest_hour=chosen.digest_hour,
        reminder=chosen.reminder, reminder_time=chosen.reminder_time, set_at=now,
    )  # fmt: skip
    return [] if evolve(state, event) == (state or DEFAULTS) else [event]


def stops_of(what: str, *, before_kinds: bool = False) -> tuple[str, ...]:
    """What an unsubscribe link names, as kinds (or ``digest`` / ``reminder``): kinds joined by
    commas; a link from before kinds (``before_kinds``) names one topic, which is its kinds now."""
    names = kinds_of_topic(what) if before_kinds else tuple(what.split(","))
    if not names or any(n not in KIND_LABELS and n not in _STOPPING for n in names) or len(set(names)) < len(names):
        raise Invalid("That link does not name anything you can unsubscribe from.")
    return names


def stopping_label(stops: tuple[str, ...]) -> str:
    """What the member stops getting, in words."""
    words = [_STOPPING[s] for s in stops if s in _STOPPING]
    kinds = [KIND_LABELS[s].lower() for s in stops if s in KIND_LABELS]
    if kinds:
        words.append(("e-mails" if words else "E-mails") + " about: " + "; ".join(kinds))
    return ", and ".join(words)


def unsubscribe(
    state: Preferences | None, member: UUID, stops: tuple[str, ...], now: dt.datetime
) -> list[Unsubscribed]:
    """One-click unsubscribe from a mail; nothing if it is off already."""
    event = Unsubscribed(member_id=member, stops=stops, unsubscribed_at=now)
    return [] if evolve(state, event) == (state or DEFAULTS) else [event]
