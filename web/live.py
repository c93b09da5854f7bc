"""Live inbox pages: every web process follows ``notifications.inbox_changed`` (core NATS delivers
it to every copy, no queue group) and wakes the open streams of that member in this process.

The event says only whose inbox changed and its position; each stream then asks the notifications
service, as its own member, for what changed since the position it last sent (web/pages/live.py).

A stream is small, because one process holds thousands (ADR 30, measured in BENCHMARKS.md): no
queue, timer or task of its own besides the server's. It awaits one future at a time, which this
hub resolves when the member's inbox changes, when its heartbeat is due, when it is dropped, or
when its browser goes away. Wake-ups that come while it is busy are folded into the newest
position and a count; a stream that lets that count reach ``QUEUE_MAX`` is dropped with a hint to
reconnect, and catches up from its last event id. Heartbeats come from one beat for the whole
process that wakes one of ``BEAT_SLOTS`` slots at a time, so that ten thousand streams do not all
wake in the same instant. See docs/adr/0030-live-inbox.md."""

from __future__ import annotations

import asyncio
import logging
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
BEAT_SLOTS = 20  # a heartbeat round is spread over this many slots, one woken at a time
DROPPED = -1  # the wake-up that tells a stream it was dropped
GONE = -2  # the wake-up that tells a stream its browser went away
BEAT = -3  # the wake-up that tells a stream its heartbeat is due


class Listener:
    """One open stream's wake-ups: the newest inbox position it was woken for, how many wake-ups
    it has not taken yet, whether a heartbeat is due, and whether it was dropped or left."""

    __slots__ = ("beat_due", "dropped", "gone", "member_id", "newest", "pending", "slot", "waiter")

    def __init__(self, member_id: UUID, slot: int) -> None:
        self.member_id = member_id
        self.slot = slot
        self.newest = DROPPED
        self.pending = 0
        self.beat_due = self.dropped = self.gone = False
        self.waiter: asyncio.Future[None] | None = None

    def wake(self, position: int) -> None:
        """The member's inbox reached ``position``."""
        if self.dropped:
            return
        if self.pending >= QUEUE_MAX:
            self.drop()
            return
        self.pending += 1
        self.newest = max(self.newest, position)
        self._release()

    def beat(self) -> None:
        self.beat_due = True
        self._release()

    def drop(self) -> None:
        """Stop this stream: it reconnects and catches up from its last event id."""
        self.dropped = True
        self._release()

    def leave(self, _: object = None) -> None:
        """The browser went away (a done-callback of the request's disconnect)."""
        self.gone = True
        self._release()

    def _release(self) -> None:
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_result(None)

    def wait(self) -> asyncio.Future[None] | None:
        """What to await for the next wake-up; None when one came while the stream was busy."""
        if self.gone or self.dropped or self.pending or self.beat_due:
            return None
        self.waiter = asyncio.get_running_loop().create_future()
        return self.waiter

    def take(self) -> int:
        """The wake-up: ``GONE``, ``DROPPED``, the newest position (however many changes came since
        the last one was taken), or ``BEAT``."""
        self.waiter = None
        if self.gone:
            return GONE
        if self.dropped:
            return DROPPED
        if self.pending:
            self.pending = 0
            return self.newest
        self.beat_due = False
        return BEAT


class InboxHub:
    """The open live streams of this web process, by member and by heartbeat slot."""

    def __init__(self) -> None:
        self._streams: dict[UUID, list[Listener]] = {}
        self._slots: list[set[Listener]] = [set() for _ in range(BEAT_SLOTS)]
        self._next_slot = 0

    def __len__(self) -> int:
        return sum(len(s) for s in self._streams.values())

    def open(self, member_id: UUID) -> Listener:
        """A new stream's wake-ups, until ``close``. Its first heartbeat comes a whole round after
        it opened (it joins the slot that beats last), and one every round after that."""
        listener = Listener(member_id, (self._next_slot - 1) % BEAT_SLOTS)
        streams = self._streams.setdefault(member_id, [])
        if len(streams) >= STREAMS_PER_MEMBER:
            streams.pop(0).drop()
        streams.append(listener)
        self._slots[listener.slot].add(listener)
        return listener

    def close(self, listener: Listener) -> None:
        self._slots[listener.slot].discard(listener)
        streams = self._streams.get(listener.member_id, [])
        if listener in streams:
            streams.remove(listener)
        if not streams:
            self._streams.pop(listener.member_id, None)

    def beat(self) -> None:
        """Heartbeat the streams of the next slot (called ``BEAT_SLOTS`` times a heartbeat round)."""
        for listener in self._slots[self._next_slot]:
            listener.beat()
        self._next_slot = (self._next_slot + 1) % BEAT_SLOTS

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
