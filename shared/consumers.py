"""Durable JetStream consumers of other services' events.

Each message is applied in one Postgres transaction together with a row in
``processed_events``; a message whose event id is already there is acknowledged without
repeating its effect (a redelivery, or a copy handled by another process). Ack after commit.

Failures are told apart (``shared.failures``): a *transient* one (the database restarting, a
lost connection, a serialization or deadlock race) is retried with a growing delay for as long as
it lasts and never parks anything. A message that cannot be decoded is parked at once; one whose
handler fails for another reason is parked after ``max_attempts`` deliveries. Parked messages are
terminated in JetStream and kept in ``parked_messages``; ``smallwins parked`` lists them and
``smallwins parked replay`` applies them again through the same code path.

The runner itself never dies of a blip: fetching through a NATS restart, or provisioning while
NATS is away, is retried with backoff. While a batch is being applied it tells JetStream that
the work is in progress, so the ack wait can stay short and a message held by a process that
died is redelivered within seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence

import asyncpg
import msgspec
import nats.errors
from nats.aio.client import Client
from nats.aio.msg import Msg

from shared.backoff import backoff
from shared.bus.streams import ConfigDrift, ConsumerSpec, event_type_of, provision_consumer, subject_matches
from shared.eventstore.store import unit_of_work
from shared.failures import is_transient
from shared.logging import correlation_id
from shared.messages import RecordedEvent

log = logging.getLogger(__name__)

Handler = Callable[[asyncpg.Connection, RecordedEvent], Awaitable[None]]
_decoder = msgspec.json.Decoder(RecordedEvent)
MAX_RETRY_DELAY = 5.0


class ConsumerRunner:
    def __init__(
        self,
        *,
        pool: asyncpg.Pool,
        nc: Client,
        schema: str,
        spec: ConsumerSpec,
        handler: Handler,
        batch_size: int = 100,
        max_attempts: int = 5,
        retry_delay: float = 0.2,
    ) -> None:
        self._pool = pool
        self._js = nc.jetstream()
        self._schema = schema
        self.spec = spec
        self._handler = handler
        self._batch_size = batch_size
        self._max_attempts = max_attempts
        self._retry_delay = retry_delay
        self.applied = 0
        self.retried = 0  # messages put back for later after a transient failure
        self.interruptions = 0  # times it lost NATS or PostgreSQL and subscribed again
        self.running = False
        self._sql_seen = f"SELECT true FROM {schema}.processed_events WHERE consumer = $1 AND event_id = $2"
        self._sql_done = f"INSERT INTO {schema}.processed_events (consumer, event_id) VALUES ($1, $2)"

    async def run(self, stop: asyncio.Event) -> None:
        """Consume until ``stop`` is set, riding through NATS and PostgreSQL restarts."""
        failures = 0
        while not stop.is_set():
            try:
                await self._consume(stop)
            except ConfigDrift:
                raise  # not a blip: the process must not run with settings other than the code's
            except Exception as exc:  # noqa: BLE001 - process edge: log, back off, subscribe again
                self.running = False
                self.interruptions += 1
                failures += 1
                delay = backoff(failures, self._retry_delay, MAX_RETRY_DELAY)
                log.warning(
                    "consumer interrupted, retrying in %.1f s: %r", delay, exc, extra={"consumer": self.spec.durable}
                )
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), delay)
            else:
                failures = 0

    async def _consume(self, stop: asyncio.Event) -> None:
        await provision_consumer(self._js, self.spec)
        sub = await self._js.pull_subscribe_bind(self.spec.durable, self.spec.stream)
        self.running = True
        try:
            while not stop.is_set():
                try:
                    msgs = await sub.fetch(self._batch_size, timeout=0.5)
                except (TimeoutError, nats.errors.TimeoutError):
                    continue  # nothing yet (nats-py raises either, depending on where it waited)
                await self.handle_batch(msgs)
        finally:
            self.running = False
            with contextlib.suppress(Exception):
                await sub.unsubscribe()

    async def handle_batch(self, msgs: list[Msg]) -> None:
        """Apply a fetched batch in one transaction and ack it after the commit.

        A transient failure puts the whole batch back for later. Any other failure rolls it back
        and its messages are handled one at a time, so one bad message neither blocks nor repeats
        the others.
        """
        decoded: list[tuple[Msg, RecordedEvent]] = []
        for msg in msgs:
            event = await self._admitted(msg)
            if event is not None:
                decoded.append((msg, event))
        if not decoded:
            return
        try:
            async with self._in_progress([m for m, _ in decoded]):
                await self.apply_many([event for _, event in decoded])
        except Exception as exc:  # noqa: BLE001 - process edge: retry later, or one at a time
            if is_transient(exc):
                await self._retry_later([m for m, _ in decoded], exc)
                return
            for msg, _ in decoded:
                await self.handle(msg)
            return
        for msg, _ in decoded:
            await msg.ack()

    @contextlib.asynccontextmanager
    async def _in_progress(self, msgs: Sequence[Msg]) -> AsyncIterator[None]:
        """While the work lasts, tell JetStream every third of the ack wait that it goes on."""

        async def beat() -> None:
            while True:
                await asyncio.sleep(self.spec.ack_wait / 3)
                for msg in msgs:
                    with contextlib.suppress(Exception):
                        await msg.in_progress()

        beating = asyncio.create_task(beat())
        try:
            yield
        finally:
            beating.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await beating

    async def _retry_later(self, msgs: Sequence[Msg], exc: BaseException) -> None:
        self.retried += len(msgs)
        deliveries = max(m.metadata.num_delivered for m in msgs)
        delay = backoff(deliveries, self._retry_delay, MAX_RETRY_DELAY)
        log.warning(
            "transient failure, redelivering in %.1f s: %r",
            delay,
            exc,
            extra={"consumer": self.spec.durable, "deliveries": deliveries},
        )
        for msg in msgs:
            with contextlib.suppress(Exception):
                await msg.nak(delay=delay)

    async def apply_many(self, events: list[RecordedEvent]) -> None:
        """Apply events in order, in one transaction, skipping those already processed."""
        async with unit_of_work(self._pool) as conn:
            done = {
                r[0]
                for r in await conn.fetch(
                    f"SELECT event_id FROM {self._schema}.processed_events WHERE consumer = $1 AND event_id = ANY($2)",
                    self.spec.durable,
                    [e.event_id for e in events],
                )
            }
            fresh = [e for e in events if e.event_id not in done]
            for event in fresh:
                token = correlation_id.set(event.metadata.correlation_id)
                try:
                    await self._handler(conn, event)
                finally:
                    correlation_id.reset(token)
            await conn.execute(
                f"INSERT INTO {self._schema}.processed_events (consumer, event_id) SELECT $1, unnest($2::uuid[])",
                self.spec.durable,
                [e.event_id for e in fresh],
            )
        self.applied += len(fresh)

    async def _admitted(self, msg: Msg) -> RecordedEvent | None:
        """The message's event, or None once it is parked: undecodable, or not its producer's own.

        Only the producer may publish on its event subjects (the bus's permissions); a message also
        says what it is in its subject, and the two must agree."""
        try:
            event = _decoder.decode(msg.data)
        except (msgspec.ValidationError, msgspec.DecodeError) as exc:
            await self._park(msg, None, f"undecodable message: {exc}")
            return None
        on_filter = any(subject_matches(f, msg.subject) for f in self.spec.filter_subjects)
        if not (on_filter and event_type_of(msg.subject) == event.event_type):
            await self._park(msg, event, f"not the producer's own event: {event.event_type} on {msg.subject}")
            return None
        return event

    async def handle(self, msg: Msg) -> None:
        event = await self._admitted(msg)
        if event is None:
            return
        token = correlation_id.set(event.metadata.correlation_id)
        try:
            await self.apply(event)
        except Exception as exc:  # process edge: retry a blip, park what is hopeless
            deliveries = msg.metadata.num_delivered
            if is_transient(exc):
                await self._retry_later([msg], exc)
            elif deliveries >= self._max_attempts:
                log.exception("consumer failed for good", extra={"consumer": self.spec.durable})
                await self._park(msg, event, repr(exc))
            else:
                log.exception("consumer failed", extra={"consumer": self.spec.durable, "deliveries": deliveries})
                await msg.nak(delay=backoff(deliveries, self._retry_delay, MAX_RETRY_DELAY))
            return
        finally:
            correlation_id.reset(token)
        await msg.ack()

    async def apply(self, event: RecordedEvent) -> bool:
        """Apply one event once: its effect and the processed-event record commit together.

        Returns False when it had already been applied.
        """
        # The effect comes first and the processed-event record last: appends must be the first
        # writes of a transaction to keep per-stream commit order (see append_events).
        try:
            async with unit_of_work(self._pool) as conn:
                if await conn.fetchval(self._sql_seen, self.spec.durable, event.event_id):
                    return False
                await self._handler(conn, event)
                await conn.execute(self._sql_done, self.spec.durable, event.event_id)
        except asyncpg.UniqueViolationError as exc:
            if exc.constraint_name != "processed_events_pkey":
                raise
            return False  # another copy applied it meanwhile; its effect stands, ours rolled back
        self.applied += 1
        return True

    async def _park(self, msg: Msg, event: RecordedEvent | None, error: str) -> None:
        try:
            await park(self._pool, self._schema, self.spec.durable, msg, event, error)
        except Exception as exc:  # noqa: BLE001 - cannot even park (database away): try again later
            await self._retry_later([msg], exc)
            return
        log.error("message parked", extra={"consumer": self.spec.durable, "error": error})
        await msg.term()


async def park(
    pool: asyncpg.Pool, schema: str, consumer: str, msg: Msg, event: RecordedEvent | None, error: str
) -> None:
    await pool.execute(
        f"INSERT INTO {schema}.parked_messages (consumer, subject, event_id, data, error, deliveries)"
        " VALUES ($1, $2, $3, $4, $5, $6)",
        consumer,
        msg.subject,
        event.event_id if event else None,
        msg.data,
        error,
        msg.metadata.num_delivered,
    )
