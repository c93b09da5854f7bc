"""Durable JetStream consumers of other services' events.

Each message is applied in one Postgres transaction together with a row in
``processed_events``; a message whose event id is already there is acknowledged without
repeating its effect (a redelivery, or a copy handled by another process). Ack after commit; ``nak`` with a growing delay on failure; after
``max_attempts`` (or at once, for a message that cannot even be decoded) the message is parked
in ``parked_messages`` and terminated, and ``smallwins status`` shows it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

import asyncpg
import msgspec
import nats.errors
from nats.aio.client import Client
from nats.aio.msg import Msg

from shared.bus.streams import ConsumerSpec, provision_consumer
from shared.eventstore.store import unit_of_work
from shared.logging import correlation_id
from shared.messages import RecordedEvent

log = logging.getLogger(__name__)

Handler = Callable[[asyncpg.Connection, RecordedEvent], Awaitable[None]]
_decoder = msgspec.json.Decoder(RecordedEvent)


def backoff(deliveries: int, base: float = 1.0) -> float:
    """Delay before the next delivery: base, 2x base, 4x base ... at most a minute."""
    return float(min(base * 2 ** (deliveries - 1), 60.0))


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
        retry_delay: float = 1.0,
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
        self.running = False
        self._sql_seen = f"SELECT true FROM {schema}.processed_events WHERE consumer = $1 AND event_id = $2"
        self._sql_done = f"INSERT INTO {schema}.processed_events (consumer, event_id) VALUES ($1, $2)"

    async def run(self, stop: asyncio.Event) -> None:
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
            await sub.unsubscribe()

    async def handle_batch(self, msgs: list[Msg]) -> None:
        """Apply a fetched batch in one transaction and ack it after the commit.

        If anything in the batch fails, it is rolled back and its messages are handled one at a
        time, so one bad message neither blocks nor repeats the others.
        """
        decoded: list[tuple[Msg, RecordedEvent]] = []
        for msg in msgs:
            try:
                decoded.append((msg, _decoder.decode(msg.data)))
            except (msgspec.ValidationError, msgspec.DecodeError) as exc:
                await self._park(msg, None, f"undecodable message: {exc}")
        if not decoded:
            return
        try:
            await self.apply_many([event for _, event in decoded])
        except Exception:  # noqa: BLE001 - process edge: one at a time next, which logs and parks
            for msg, _ in decoded:
                await self.handle(msg)
            return
        for msg, _ in decoded:
            await msg.ack()

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

    async def handle(self, msg: Msg) -> None:
        try:
            event = _decoder.decode(msg.data)
        except (msgspec.ValidationError, msgspec.DecodeError) as exc:
            await self._park(msg, None, f"undecodable message: {exc}")
            return
        token = correlation_id.set(event.metadata.correlation_id)
        try:
            await self.apply(event)
        except Exception as exc:  # process edge: log, retry later, park when hopeless
            deliveries = msg.metadata.num_delivered
            log.exception("consumer failed", extra={"consumer": self.spec.durable, "deliveries": deliveries})
            if deliveries >= self._max_attempts:
                await self._park(msg, event, repr(exc))
            else:
                await msg.nak(delay=backoff(deliveries, self._retry_delay))
            return
        finally:
            correlation_id.reset(token)
        await msg.ack()

    async def apply(self, event: RecordedEvent) -> None:
        """Apply one event once: its effect and the processed-event record commit together."""
        # The effect comes first and the processed-event record last: appends must be the first
        # writes of a transaction to keep per-stream commit order (see append_events).
        try:
            async with unit_of_work(self._pool) as conn:
                if await conn.fetchval(self._sql_seen, self.spec.durable, event.event_id):
                    return
                await self._handler(conn, event)
                await conn.execute(self._sql_done, self.spec.durable, event.event_id)
        except asyncpg.UniqueViolationError as exc:
            if exc.constraint_name != "processed_events_pkey":
                raise
            return  # another copy applied it meanwhile; its effect stands, ours rolled back
        self.applied += 1

    async def _park(self, msg: Msg, event: RecordedEvent | None, error: str) -> None:
        await self._pool.execute(
            f"INSERT INTO {self._schema}.parked_messages"
            " (consumer, subject, event_id, data, error, deliveries)"
            " VALUES ($1, $2, $3, $4, $5, $6)",
            self.spec.durable,
            msg.subject,
            event.event_id if event else None,
            msg.data,
            error,
            msg.metadata.num_delivered,
        )
        log.error("message parked", extra={"consumer": self.spec.durable, "error": error})
        await msg.term()
