"""Live inbox pages: every web process follows ``notifications.inbox_changed`` (core NATS delivers
it to every copy, no queue group) and wakes the open streams of that member in this process.

The event says only whose inbox changed and its position; each stream then asks the notifications
service, as its own member, for what changed since the position it last sent (web/pages/live.py).
A stream keeps a small bounded queue of positions: one that falls that far behind is dropped with a
hint to reconnect, and catches up from its last event id. See docs/adr/0030-live-inbox.md."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from uuid import UUID

import msgspec
from nats.aio.client import Client
from nats.aio.msg import Msg

from shared.bus.streams import event_subject
from shared.contracts import notifications as notif
from web.caching import event_data

log = logging.getLogger(__name__)
QUEUE_MAX = 16  # wake-ups a stream may have waiting before it is dropped as too slow
STREAMS_PER_MEMBER = 8  # a member's oldest stream in this process gives way to a newer one
DROPPED = -1  # the wake-up that tells a stream it was dropped


class Listener:
    """One open stream's wake-ups: inbox positions, or ``DROPPED``."""

    __slots__ = ("dropped", "member_id", "queue")

    def __init__(self, member_id: UUID) -> None:
        self.member_id = member_id
        self.queue: asyncio.Queue[int] = asyncio.Queue(maxsize=QUEUE_MAX)
        self.dropped = False

    def wake(self, position: int) -> None:
        if self.dropped:
            return
        try:
            self.queue.put_nowait(position)
        except asyncio.QueueFull:
            self.drop()

    def drop(self) -> None:
        """Stop this stream: it reconnects and catches up from its last event id."""
        if self.dropped:
            return
        self.dropped = True
        while not self.queue.empty():
            self.queue.get_nowait()
        self.queue.put_nowait(DROPPED)


class InboxHub:
    """The open live streams of this web process, by member."""

    def __init__(self) -> None:
        self._streams: dict[UUID, list[Listener]] = {}

    def __len__(self) -> int:
        return sum(len(s) for s in self._streams.values())

    @contextmanager
    def listen(self, member_id: UUID) -> Iterator[Listener]:
        """A stream's wake-ups for as long as it is open."""
        listener = Listener(member_id)
        streams = self._streams.setdefault(member_id, [])
        if len(streams) >= STREAMS_PER_MEMBER:
            streams.pop(0).drop()
        streams.append(listener)
        try:
            yield listener
        finally:
            if listener in streams:
                streams.remove(listener)
            if not streams:
                self._streams.pop(member_id, None)

    def drop_all(self) -> None:
        """End every stream (each reconnects, to whichever web copy answers, and catches up)."""
        for streams in self._streams.values():
            for listener in streams:
                listener.drop()

    def changed(self, member_id: UUID, position: int) -> None:
        """The member's inbox reached ``position``: wake their streams (nobody else's)."""
        for listener in self._streams.get(member_id, ()):
            listener.wake(position)

    async def follow(self, nc: Client, prefix: str) -> None:
        async def arrived(msg: Msg) -> None:
            try:
                seen = event_data(msg.data, notif.InboxChangedSeen)
            except (msgspec.ValidationError, msgspec.DecodeError):
                log.warning("unreadable notifications event on %s", msg.subject)
                return
            self.changed(seen.member_id, seen.position)

        await nc.subscribe(event_subject(prefix, notif.SERVICE, notif.INBOX_CHANGED), cb=arrived)
