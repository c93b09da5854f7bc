"""What the web edge's caches share: a bounded map whose entries expire, and reading the payload
of a service's event as it arrives over NATS (only its ``data``, whatever else it carries)."""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

import msgspec

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
T = TypeVar("T")


class Expiring(Generic[K, V]):
    """Entries live ``ttl_s`` seconds; a full map starts over rather than grow."""

    def __init__(self, ttl_s: float, max_entries: int, clock: Callable[[], float] = time.monotonic) -> None:
        self._ttl, self._max, self._clock = ttl_s, max_entries, clock
        self._entries: dict[K, tuple[float, V]] = {}

    def get(self, key: K) -> V | None:
        hit = self._entries.get(key)
        if hit is None or hit[0] < self._clock():
            return None
        return hit[1]

    def put(self, key: K, value: V) -> None:
        if len(self._entries) >= self._max:
            self._entries.clear()
        self._entries[key] = (self._clock() + self._ttl, value)

    def pop(self, key: K) -> None:
        self._entries.pop(key, None)

    def drop_where(self, matches: Callable[[V], bool]) -> None:
        for key in [k for k, (_, v) in self._entries.items() if matches(v)]:
            del self._entries[key]

    def clear(self) -> None:
        self._entries.clear()


class _Envelope(msgspec.Struct, frozen=True, kw_only=True):
    data: msgspec.Raw


def event_data(payload: bytes, data_type: type[T]) -> T:
    """The ``data`` of an event as published by a relay; raises msgspec's errors when unreadable."""
    return msgspec.json.decode(msgspec.json.decode(payload, type=_Envelope).data, type=data_type)
