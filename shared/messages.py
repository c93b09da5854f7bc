"""Message kernel: the event base class, metadata, stored envelopes and the event registry.

Events are frozen msgspec Structs tagged with a stable wire name
``<service>.<snake_event>.v<N>``. A registry maps tags to types and applies upcasters
to old payloads when they are read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any
from uuid import UUID

import msgspec


class Event(msgspec.Struct, frozen=True, kw_only=True, tag_field="type"):
    """Base of every domain event. Subclasses set ``tag=`` to their stable wire name."""


class Metadata(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    correlation_id: str | None = None
    causation_id: str | None = None
    actor_id: UUID | None = None
    on_behalf_of: UUID | None = None
    subject_id: UUID | None = None


class NewEvent(msgspec.Struct, frozen=True, kw_only=True):
    """An event about to be appended, with the id chosen by the caller (idempotency)."""

    event_id: UUID
    event: Event


class RecordedEvent(msgspec.Struct, frozen=True, kw_only=True):
    """An event as stored and as carried over NATS (``data`` stays raw JSON)."""

    global_position: int
    transaction_id: int
    event_id: UUID
    stream_id: str
    stream_version: int
    event_type: str
    schema_version: int
    data: msgspec.Raw
    metadata: Metadata
    recorded_at: dt.datetime


Upcaster = Callable[[dict[str, Any]], dict[str, Any]]


def tag_of(event_type: type[Event]) -> str:
    tag = event_type.__struct_config__.tag
    if not isinstance(tag, str):
        raise TypeError(f"{event_type.__name__} has no string tag")
    return tag


def schema_version_of(tag: str) -> int:
    """``accounts.member_registered.v2`` -> 2."""
    _, _, version = tag.rpartition(".v")
    return int(version) if version.isdigit() else 1


class EventRegistry:
    """Maps wire tags to event types; upcasts payloads whose tag was superseded.

    Types named ``private`` stay in their service: they are kept in its log and fold into its
    state, but the relay never publishes them (nor a superseded tag that upcasts to one).
    """

    def __init__(self, types: Iterable[type[Event]], *, private: Iterable[type[Event]] = ()) -> None:
        self._types: dict[str, type[Event]] = {}
        for event_type in types:
            tag = tag_of(event_type)
            if tag in self._types:
                raise ValueError(f"duplicate event tag {tag}")
            self._types[tag] = event_type
        self._private = frozenset(tag_of(t) for t in private)
        if not self._private <= self._types.keys():
            raise ValueError(f"private event types not in the registry: {sorted(self._private - self._types.keys())}")
        self._upcasters: dict[str, tuple[str, Upcaster]] = {}

    def register_upcaster(self, old_tag: str, new_type: type[Event], fn: Upcaster) -> None:
        """Payloads stored as ``old_tag`` are turned by ``fn`` into ``new_type`` on read."""
        self._upcasters[old_tag] = (tag_of(new_type), fn)

    @property
    def tags(self) -> frozenset[str]:
        return frozenset(self._types)

    def is_private(self, event_type: str) -> bool:
        """True for an event that never leaves its service (stored as ``event_type``)."""
        upcast = self._upcasters.get(event_type)
        return (upcast[0] if upcast else event_type) in self._private

    def encode(self, event: Event) -> bytes:
        return msgspec.json.encode(event)

    def decode(self, event_type: str, data: bytes | str | msgspec.Raw) -> Event:
        raw = bytes(data) if isinstance(data, msgspec.Raw) else data
        if event_type in self._upcasters:
            new_tag, fn = self._upcasters[event_type]
            payload = fn(msgspec.json.decode(raw))
            payload["type"] = new_tag
            return msgspec.convert(payload, self._types[new_tag])
        try:
            cls = self._types[event_type]
        except KeyError:
            raise LookupError(f"unknown event type {event_type}") from None
        return msgspec.json.decode(raw, type=cls)
