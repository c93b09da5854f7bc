"""An inbox item: what it is about, how it groups, and its words. Pure: decided when it is written.

A *notice* is one thing one member is to be told. Notices of a grouped kind (encouragement, replies,
notes) that share a kind, a variant, a target and a day become one item that grows: "Ana, Bo, Cy
and 2 others are proud of your story". Items carry pseudonyms and moderators' reasons, never what a
member wrote: a note's item says that a note is waiting, not what it says.

Who acted travels by id: the words take their pseudonym when the item is written (``applied``, given
the name the inbox keeps for them), and a member who has left is named ``PLACEHOLDER_NAME``, in new
items and, once they leave, in the items that named them (``forgotten``).
"""

from __future__ import annotations

import datetime as dt
import uuid
from uuid import UUID

import msgspec

from services.notifications.domain.wording import words
from services.notifications.events import AllRead, InboxChanged, ItemNoted, ItemRead
from shared.contracts.erasure import PLACEHOLDER_NAME
from shared.errors import NotFound

_NAMESPACE = uuid.UUID("6f1c7a52-3a0e-4c64-9a53-2b8f3c1de8a1")
NAMED = 3  # an item names at most this many people and counts the rest
MUTABLE = {"story": ("encouraged", "replied", "reply_to_reply"), "journal": ("note", "observation")}
"""What muting a target silences: a story's encouragement and replies (to the story, and to one's
own replies on it), a journal's notes and observations. What moderators decided is never muted:
an author always learns what happened."""


class Notice(msgspec.Struct, frozen=True, kw_only=True):
    """One thing one member is to be told, and what it links to (``about``: story, my-stories,
    journal, supported, supporters, home; ``about_id``: the story or journal)."""

    member_id: UUID
    kind: str
    about: str
    about_id: UUID | None = None
    actor_id: UUID | None = None
    actor_name: str = ""  # how the actor is named in the words ("" -> "Someone"); never in the event
    variant: str = ""  # an encouragement's kind, a role, a stage, a post's kind, an appeal's outcome
    reason: str = ""  # a moderator's words to the author
    guidance: str = ""
    grouped: bool = False


class Group(msgspec.Struct, frozen=True, kw_only=True):
    """Who a grouped item already counts: the first ``NAMED`` names, and every actor once."""

    names: tuple[str, ...] = ()
    actor_ids: tuple[UUID, ...] = ()


class Item(msgspec.Struct, frozen=True, kw_only=True):
    """An inbox item as it is written (a grouped one replaces its earlier self, unread again)."""

    notification_id: UUID
    member_id: UUID
    kind: str
    about: str
    about_id: UUID | None
    variant: str = ""  # kept, so that the words can be said again once someone it names has left
    title: str
    body: str
    group: Group
    at: dt.datetime


def notification_id_for(kind: str, cause_event_id: UUID) -> UUID:
    """The same cause always makes the same notification id: retries cannot duplicate it."""
    return uuid.uuid5(_NAMESPACE, f"{kind}:{cause_event_id}")


def item_id_for(notice: Notice, cause_event_id: UUID, at: dt.datetime) -> UUID:
    """A grouped notice's item is its member's, kind's, variant's and target's of that (UTC) day;
    any other notice makes an item of its own per member and cause."""
    if notice.grouped:
        key = f"{notice.member_id}:{notice.kind}:{notice.variant}:{notice.about}:{notice.about_id}:{at.date()}"
    else:
        key = f"{notice.member_id}:{notice.kind}:{cause_event_id}"
    return uuid.uuid5(_NAMESPACE, key)


def item_for(notice: Notice, cause_event_id: UUID, at: dt.datetime, before: Group | None) -> Item | None:
    """The item to write for ``notice`` (``before``: who its group counts already), or None when
    its actor is counted already (a second encouragement of the same kind the same day)."""
    return _item(notice, item_id_for(notice, cause_event_id, at), at, before)


def noted(notice: Notice, cause_event_id: UUID, at: dt.datetime) -> ItemNoted:
    """The event that records telling ``notice``: the item it makes or grows is decided here. It
    names the actor by id alone: a pseudonym in the log would outlive their erasure."""
    return ItemNoted(
        notification_id=item_id_for(notice, cause_event_id, at), member_id=notice.member_id, kind=notice.kind,
        about=notice.about, about_id=notice.about_id, actor_id=notice.actor_id, variant=notice.variant, reason=notice.reason, guidance=notice.guidance, grouped=notice.grouped,
        noted_at=at, cause_event_id=cause_event_id,
    )  # fmt: skip


def noted_event_id(event: ItemNoted) -> UUID:
    """One cause grows one item once: a repeat of the same append is recognised by its event id."""
    return notification_id_for(f"noted:{event.notification_id}", event.cause_event_id)


def applied(event: ItemNoted, before: Group | None, actor_name: str = "") -> Item | None:
    """What ``event`` makes of its item, given who the item counts already and the actor's name as
    the inbox knows it now ("" for someone it does not know: "Someone"); the same on a replay."""
    notice = Notice(
        member_id=event.member_id, kind=event.kind, about=event.about, about_id=event.about_id,
        actor_id=event.actor_id, actor_name=actor_name, variant=event.variant, reason=event.reason,
        guidance=event.guidance, grouped=event.grouped,
    )  # fmt: skip
    return _item(notice, event.notification_id, event.noted_at, before)


UNKNOWN_NAME = "Someone"  # an actor the inbox has not learnt the name of yet (``forgetting.learnt``)


def renamed(notice: Notice, group: Group, member: UUID, name: str) -> tuple[Group, str, str]:
    """An item's group, title and body with ``member`` named ``name`` wherever its words named them
    (``notice`` is the item's kind, variant and target; ``group`` who it counts, its names in the
    order of ``actor_ids``); they are counted as before."""
    names = tuple(
        name if i < len(group.actor_ids) and group.actor_ids[i] == member else old for i, old in enumerate(group.names)
    )
    group = Group(names=names, actor_ids=group.actor_ids)
    named = msgspec.structs.replace(notice, actor_name=names[0] if names else "")
    title, body = words(named, names, max(len(group.actor_ids), 1))
    return group, title, body


def forgotten(notice: Notice, group: Group, gone: UUID) -> tuple[Group, str, str]:
    """The item once ``gone`` has left Small Wins: where its words named them they say
    ``PLACEHOLDER_NAME``, and they are still counted."""
    return renamed(notice, group, gone, PLACEHOLDER_NAME)


def _item(notice: Notice, item_id: UUID, at: dt.datetime, before: Group | None) -> Item | None:
    group = Group() if before is None else before
    if notice.actor_id is not None:
        if notice.actor_id in group.actor_ids:
            return None
        name = notice.actor_name or UNKNOWN_NAME
        names = (*group.names, name) if len(group.names) < NAMED else group.names
        group = Group(names=names, actor_ids=(*group.actor_ids, notice.actor_id))
    title, body = words(notice, group.names, max(len(group.actor_ids), 1))
    return Item(
        notification_id=item_id, member_id=notice.member_id, kind=notice.kind, about=notice.about,
        about_id=notice.about_id, variant=notice.variant, title=title, body=body, group=group, at=at,
    )  # fmt: skip


def mute_target(notice: Notice) -> tuple[str, UUID] | None:
    """The target whose mute silences this notice, if muting can."""
    if notice.about_id is not None and notice.kind in MUTABLE.get(notice.about, ()):
        return (notice.about, notice.about_id)
    return None


def mark_read(member_id: UUID, notification_id: UUID, unread: bool | None, now: dt.datetime) -> list[ItemRead]:
    """Read one of one's own items (``unread``: None when it is not the member's, or not there)."""
    if unread is None:
        raise NotFound("That notification is not in your inbox.")
    return [ItemRead(member_id=member_id, notification_id=notification_id, read_at=now)] if unread else []


def mark_all_read(member_id: UUID, unread: int, now: dt.datetime) -> list[AllRead]:
    """Read everything; with nothing unread there is nothing to record."""
    return [AllRead(member_id=member_id, read_at=now)] if unread else []


def changed(member_id: UUID, version: int, unread: int) -> InboxChanged:
    """The event that follows a change to a member's inbox stream, now at ``version``: it is the
    stream's next event, and its version is the change's position (what live pages count by)."""
    return InboxChanged(member_id=member_id, position=version + 1, unread=unread)
