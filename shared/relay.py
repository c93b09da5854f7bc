"""The relay: the event log is the outbox.

Per service exactly one relay is active (it holds a Postgres advisory lock; other copies
stand by). It reads committed events past its checkpoint in commit order, publishes them to
JetStream with ``Nats-Msg-Id = event_id`` (JetStream drops duplicates inside its window)
with a bounded number of acks in flight, and stores its checkpoint only after every ack.
A relay that dies mid-batch republishes from its last checkpoint; nothing is lost and the
duplicates are dropped. Events the service's registry calls private (``EventRegistry(private=...)``)
are passed over: they stay in the log and are never published.

Waking up (ADR 0005): a unit of work that appended tells the relay of its own process after
it commits; a copy that is standing by passes that on as an empty core NATS message on
``<prefix>.<service>.relay.wake``, which the leader listens to. Nothing rides on a wake-up:
polling is the fallback, and events held back by an older running transaction are looked for
again after a few milliseconds. There is no NOTIFY in the append path, because PostgreSQL
serialises the commits of notifying transactions.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

import asyncpg
import msgspec
import nats.errors
from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.js.api import Header

from shared.backoff import backoff
from shared.bus.streams import event_subject, wake_subject
from shared.db import advisory_key
from shared.eventstore.store import (
    EventStore,
    Position,
    load_checkpoint,
    position_of,
    save_checkpoint,
)
from shared.failures import is_transient
from shared.logging import CORRELATION_HEADER
from shared.messages import RecordedEvent

log = logging.getLogger(__name__)

CHECKPOINT = "relay"
RETRY_FIRST_S = 0.2  # after losing PostgreSQL or NATS, doubling on each failure in a row
RETRY_MAX_S = 5.0


class RelayStats(msgspec.Struct, kw_only=True):
    leader: bool = False
    published: int = 0
    duplicates: int = 0
    position: Position = Position()


class Relay:
    def __init__(
        self,
        *,
        dsn: str,
        store: EventStore,
        nc: Client,
        prefix: str,
        service: str,
        batch_size: int = 500,
        max_in_flight: int = 256,
        poll_interval: float = 0.5,
        held_back_retry: float = 0.003,
        ack_timeout: float = 10.0,
        on_published: Callable[[int], None] | None = None,
    ) -> None:
        self._dsn = dsn
        self._store = store
        self._js = nc.jetstream(publish_async_max_pending=max_in_flight)
        self._prefix = prefix
        self._service = service
        self._batch_size = batch_size
        self._poll_interval = poll_interval
        self._held_back_retry = held_back_retry
        self._ack_timeout = ack_timeout
        self._on_published = on_published  # a test hook: called after each publish
        self._nc = nc
        self._wake_subject = wake_subject(prefix, service)
        self._wake = asyncio.Event()  # the leader: the log may have grown
        self._pass_on = asyncio.Event()  # a standby copy: tell the leader
        self.stats = RelayStats()
        self.interruptions = 0  # times the relay lost PostgreSQL or NATS and came back
        store.on_commit(self.nudge)

    def nudge(self) -> None:
        """Events were committed: read the log now (the leader) or tell the leader (a standby)."""
        if self.stats.leader:
            self._wake.set()
        else:
            self._pass_on.set()

    async def run(self, stop: asyncio.Event) -> None:
        """Stand by until this copy holds the leader lock, then relay until ``stop`` is set."""
        passing_on = asyncio.create_task(self._pass_on_wakes(stop))
        stopping = asyncio.create_task(self._wake_on_stop(stop))
        try:
            failures = 0
            while not stop.is_set():
                try:
                    await self._lead_or_wait(stop)
                    failures = 0
                except Exception as exc:  # process edge: the relay must outlive any blip
                    self.stats.leader = False
                    self.interruptions += 1
                    failures += 1
                    delay = backoff(failures, RETRY_FIRST_S, RETRY_MAX_S)
                    if is_transient(exc):
                        log.warning(
                            "relay interrupted, retrying in %.1f s: %r", delay, exc, extra={"svc": self._service}
                        )
                    else:
                        log.exception("relay failed, retrying in %.1f s", delay, extra={"svc": self._service})
                    await _sleep_or_stop(stop, delay)
        finally:
            for task in (passing_on, stopping):
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task

    async def _wake_on_stop(self, stop: asyncio.Event) -> None:
        await stop.wait()
        self._wake.set()

    async def _pass_on_wakes(self, stop: asyncio.Event) -> None:
        """A standby's commits wake the leader with an empty message; bursts become one."""
        while not stop.is_set():
            await self._pass_on.wait()
            self._pass_on.clear()
            if not self.stats.leader:
                with contextlib.suppress(nats.errors.Error, OSError):
                    await self._nc.publish(self._wake_subject, b"")

    async def _lead_or_wait(self, stop: asyncio.Event) -> None:
        conn = await asyncpg.connect(self._dsn)
        try:
            key = advisory_key(f"relay:{self._store.schema}")
            while not await conn.fetchval("SELECT pg_try_advisory_lock($1)", key):
                if await _sleep_or_stop(stop, 1.0):
                    return
            self.stats.leader = True
            log.info("relay is leader", extra={"svc": self._service})
            wakes = await self._nc.subscribe(self._wake_subject, cb=self._woken)
            try:
                await self._relay(conn, stop)
            finally:
                with contextlib.suppress(nats.errors.Error):
                    await wakes.unsubscribe()
        finally:
            self.stats.leader = False
            with contextlib.suppress(Exception):
                await asyncio.shield(conn.close(timeout=2))

    async def _woken(self, _msg: Msg) -> None:
        self._wake.set()

    async def _relay(self, conn: asyncpg.Connection, stop: asyncio.Event) -> None:
        position = await load_checkpoint(conn, self._store.schema, CHECKPOINT)
        self.stats.position = position
        retry = self._held_back_retry
        while not stop.is_set():
            self._wake.clear()
            batch = await self._store.read_committed(conn, position, self._batch_size)
            if batch:
                await self._publish([e for e in batch if not self._store.registry.is_private(e.event_type)])
                position = position_of(batch[-1])
                await save_checkpoint(conn, self._store.schema, CHECKPOINT, position)
                self.stats.position = position
                retry = self._held_back_retry
                continue
            if await self._store.held_back(conn, position):
                # an older transaction still running holds committed events back: look again
                # soon, then less often while it lasts (it may be idle in a transaction for long)
                wait, retry = retry, min(retry * 2, self._poll_interval)
            else:
                wait, retry = self._poll_interval, self._held_back_retry
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._wake.wait(), wait)

    async def _publish(self, batch: list[RecordedEvent]) -> None:
        futures = []
        for event in batch:
            headers: dict[str, str] = {Header.MSG_ID.value: str(event.event_id)}
            if event.metadata.correlation_id:
                headers[CORRELATION_HEADER] = event.metadata.correlation_id
            subject = event_subject(self._prefix, self._service, event.event_type)
            futures.append(await self._js.publish_async(subject, msgspec.json.encode(event), headers=headers))
            if self._on_published is not None:
                self._on_published(len(futures))
        acks = await asyncio.wait_for(asyncio.gather(*futures), self._ack_timeout)
        dupes = sum(1 for ack in acks if ack.duplicate)
        self.stats.published += len(acks) - dupes
        self.stats.duplicates += dupes


async def _sleep_or_stop(stop: asyncio.Event, seconds: float) -> bool:
    """Sleep, waking early if ``stop`` is set; True when stopping."""
    with contextlib.suppress(asyncio.TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)
    return stop.is_set()
