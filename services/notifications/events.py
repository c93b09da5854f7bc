"""Events of the notifications service."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from shared.contracts.erasure import APPLIED
from shared.contracts.notification_prefs import TOPICS_BEFORE_KINDS
from shared.messages import Event, EventRegistry


class NotificationCreated(Event, tag="notifications.notification_created.v1", frozen=True, kw_only=True):
    """A note written whole (the welcome). Published; its words name nobody (welcomes written before
    docs/adr/0037-erasure-in-notifications.md greeted the member by pseudonym, in clear)."""

    notification_id: UUID
    member_id: UUID
    kind: str
    title: str
    body: str
    created_at: dt.datetime
    cause_event_id: UUID | None = None


class TargetMuted(Event, tag="notifications.target_muted.v1", frozen=True, kw_only=True):
    """A member asked to hear no more about a story (encouragement, replies) or a journal's notes."""

    member_id: UUID
    target_kind: str
    target_id: UUID
    muted_at: dt.datetime


class TargetUnmuted(Event, tag="notifications.target_unmuted.v1", frozen=True, kw_only=True):
    member_id: UUID
    target_kind: str
    target_id: UUID
    unmuted_at: dt.datetime


class ItemNoted(Event, tag="notifications.item_noted.v1", frozen=True, kw_only=True):
    """A member is told something: the inbox item ``notification_id`` is written, or grows when it
    groups (the id is the group key, hashed: ``domain.inbox.item_id_for``). It names who acted by
    id and carries a moderator's reason and guidance, never what a member wrote; the inbox
    projection words it with the pure domain rule, naming ``actor_id`` from the pseudonyms it
    keeps. ``actor_name`` is "" in events written since names left the log (ADR 37); older
    events hold the pseudonym in clear, which the projection no longer shows once they are erased."""

    notification_id: UUID
    member_id: UUID
    kind: str
    about: str
    about_id: UUID | None = None
    actor_id: UUID | None = None
    actor_name: str = ""
    variant: str = ""
    reason: str = ""
    guidance: str = ""
    grouped: bool = False
    noted_at: dt.datetime
    cause_event_id: UUID


class ItemRead(Event, tag="notifications.item_read.v1", frozen=True, kw_only=True):
    """A member read one of their unread items."""

    member_id: UUID
    notification_id: UUID
    read_at: dt.datetime


class AllRead(Event, tag="notifications.all_read.v1", frozen=True, kw_only=True):
    """A member marked every item read: those in their inbox stream before this event."""

    member_id: UUID
    read_at: dt.datetime


class InboxChanged(Event, tag="notifications.inbox_changed.v1", frozen=True, kw_only=True):
    """A member's inbox moved on: appended after each change to it (an item written or grown, read
    marks), in the same transaction, at ``position`` of the member's inbox stream. Published, and
    content-free: live pages hear of it and ask for what changed as the member."""

    member_id: UUID
    position: int
    unread: int


class PreferencesSet(Event, tag="notifications.preferences_set.v2", frozen=True, kw_only=True):
    """A member chose how to hear things: a channel per kind, quiet hours, the digest's hour and
    check-in reminders (``shared.contracts.notification_prefs``). v1 named topics (upcast below)."""

    member_id: UUID
    channels: dict[str, str]
    quiet_hours: bool
    quiet_start: str
    quiet_end: str
    digest_hour: int
    reminder: bool
    reminder_time: str
    set_at: dt.datetime


class Unsubscribed(Event, tag="notifications.unsubscribed.v2", frozen=True, kw_only=True):
    """A member followed a mail's one-click unsubscribe: ``stops`` names the kinds whose e-mails
    stop (they stay in the app), or ``digest`` (its kinds stay in the app), or ``reminder``.
    v1 named one topic (upcast below)."""

    member_id: UUID
    stops: tuple[str, ...]
    unsubscribed_at: dt.datetime


class MemberErased(Event, tag=APPLIED["notifications"], frozen=True, kw_only=True):
    """Notifications has erased what it kept of a member (ids only): their inbox, mutes, preferences,
    jobs, mail, key and every row that named them; items of others that named them say "a former
    member" now. Published: accounts follows it to know the erasure is done here."""

    member_id: UUID
    erased_at: dt.datetime


NotificationEvent = NotificationCreated | ItemNoted | ItemRead | AllRead | InboxChanged
MuteEvent = TargetMuted | TargetUnmuted
PreferenceEvent = PreferencesSet | Unsubscribed

# What a member is told, what they read and what they mute is nobody else's business: those
# events stay in this service's log (the relay never publishes them). Only the welcome note,
# which predates the inbox, the content-free ``InboxChanged`` (for live pages) and ``MemberErased``
# (ids only, for accounts) are published.
_PRIVATE: list[type[Event]] = [ItemNoted, ItemRead, AllRead, TargetMuted, TargetUnmuted, PreferencesSet, Unsubscribed]
REGISTRY = EventRegistry([NotificationCreated, InboxChanged, MemberErased, *_PRIVATE], private=_PRIVATE)


def kinds_of_topic(topic: str) -> tuple[str, ...]:
    """What a topic from before kinds names now (``digest``, ``reminder`` and anything else: itself)."""
    return TOPICS_BEFORE_KINDS.get(topic, (topic,))


def _preferences_set_v1(payload: dict[str, Any]) -> dict[str, Any]:
    """v1 chose a channel per topic: each topic's channel goes to every kind it is now."""
    channels = payload.get("channels", {})
    payload["channels"] = {kind: channel for topic, channel in channels.items() for kind in kinds_of_topic(topic)}
    return payload


def _unsubscribed_v1(payload: dict[str, Any]) -> dict[str, Any]:
    """v1 named one topic: it stops every kind that topic is now."""
    payload["stops"] = kinds_of_topic(payload.pop("topic"))
    return payload


REGISTRY.register_upcaster("notifications.preferences_set.v1", PreferencesSet, _preferences_set_v1)
REGISTRY.register_upcaster("notifications.unsubscribed.v1", Unsubscribed, _unsubscribed_v1)


def inbox_stream(member_id: UUID) -> str:
    return f"inbox-{member_id}"


def mutes_stream(member_id: UUID) -> str:
    return f"mutes-{member_id}"


def preferences_stream(member_id: UUID) -> str:
    return f"preferences-{member_id}"
