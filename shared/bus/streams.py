"""JetStream streams and durable consumers, declared in code and provisioned at start.

An existing stream or consumer whose configuration differs from the code in anything the code
declares fails the start loudly (``ConfigDrift``), naming each difference and how to fix it:
nats-py's ``pull_subscribe`` would silently keep the old settings.
"""

from __future__ import annotations

import enum

import msgspec
import nats.js.errors
from nats.js import JetStreamContext
from nats.js.api import (
    AckPolicy,
    ConsumerConfig,
    DeliverPolicy,
    DiscardPolicy,
    ReplayPolicy,
    RetentionPolicy,
    StorageType,
    StreamConfig,
)

DUPLICATE_WINDOW_S = 300.0


class ConfigDrift(RuntimeError):
    """A stream or consumer on the server is configured differently from the code."""


class StreamSpec(msgspec.Struct, frozen=True, kw_only=True):
    """A stream and its stated retention: every event is kept (PostgreSQL stays the source of
    truth, and consumer-built read models are rebuilt by reading a stream from its start)."""

    name: str
    subjects: tuple[str, ...]
    duplicate_window: float = DUPLICATE_WINDOW_S
    replicas: int = 1
    max_age: float = 0.0  # seconds; 0 = no limit
    max_msgs: int = -1
    max_bytes: int = -1


class ConsumerSpec(msgspec.Struct, frozen=True, kw_only=True):
    """A durable pull consumer. The ack wait is short: the runner sends progress acks while it
    works, so a message held by a process that died is redelivered within seconds. JetStream
    never gives up on a message (``max_deliver`` unlimited); the runner decides what to park."""

    stream: str
    durable: str
    filter_subjects: tuple[str, ...]
    ack_wait: float = 6.0
    max_deliver: int = -1
    max_ack_pending: int = 1000


def event_stream(prefix: str, service: str) -> StreamSpec:
    """The stream a service's relay publishes to: ``<prefix>.<service>.events.>``."""
    return StreamSpec(name=f"{prefix}_{service}_events".upper(), subjects=(event_subject(prefix, service, ">"),))


def event_subject(prefix: str, service: str, event_type: str) -> str:
    """Where ``service`` publishes events of ``event_type`` (``>``: all of them, for a subscription).

    The one layout of event subjects; neither the prefix nor a service name has a dot in it."""
    return f"{prefix}.{service}.events.{event_type}"


def event_type_of(subject: str) -> str:
    """The event type an event subject names (``event_subject`` read backwards); "" if it names none."""
    parts = subject.split(".", 3)
    return parts[3] if len(parts) == 4 and parts[2] == "events" else ""


def subject_matches(pattern: str, subject: str) -> bool:
    """NATS subject matching: ``*`` is one token, a final ``>`` one or more."""
    want, have = pattern.split("."), subject.split(".")
    for i, part in enumerate(want):
        if part == ">":
            return len(have) > i
        if i >= len(have) or (part != "*" and part != have[i]):
            return False
    return len(have) == len(want)


def wake_subject(prefix: str, service: str) -> str:
    """Core NATS (no stream): a copy that committed events wakes the service's relay leader."""
    return f"{prefix}.{service}.relay.wake"


def stream_config(spec: StreamSpec) -> StreamConfig:
    return StreamConfig(
        name=spec.name,
        subjects=list(spec.subjects),
        retention=RetentionPolicy.LIMITS,
        discard=DiscardPolicy.OLD,
        storage=StorageType.FILE,
        duplicate_window=spec.duplicate_window,
        num_replicas=spec.replicas,
        max_age=spec.max_age,
        max_msgs=spec.max_msgs,
        max_bytes=spec.max_bytes,
    )


def consumer_config(spec: ConsumerSpec) -> ConsumerConfig:
    return ConsumerConfig(
        durable_name=spec.durable,
        deliver_policy=DeliverPolicy.ALL,
        ack_policy=AckPolicy.EXPLICIT,
        ack_wait=spec.ack_wait,
        max_deliver=spec.max_deliver,
        max_ack_pending=spec.max_ack_pending,
        replay_policy=ReplayPolicy.INSTANT,
        filter_subjects=list(spec.filter_subjects),
    )


_STREAM_FIELDS = (
    "subjects", "retention", "discard", "storage", "num_replicas", "duplicate_window",
    "max_age", "max_msgs", "max_bytes",
)  # fmt: skip
_CONSUMER_FIELDS = (
    "filter_subjects", "deliver_policy", "ack_policy", "ack_wait", "max_deliver", "max_ack_pending",
    "replay_policy",
)  # fmt: skip


def _norm(value: object) -> object:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, list | tuple):
        return sorted(str(v) for v in value)
    if isinstance(value, float):
        return round(value, 3)
    return value


def differences(have: object, wanted: object, fields: tuple[str, ...]) -> list[str]:
    """``field: server has X, the code declares Y`` for every declared field that differs."""
    out = []
    for name in fields:
        h, w = _norm(getattr(have, name)), _norm(getattr(wanted, name))
        if isinstance(h, int | float) and isinstance(w, int | float) and not isinstance(h, bool):
            same = abs(h - w) < 0.001
        else:
            same = h == w
        if not same:
            out.append(f"{name}: the server has {h!r}, the code declares {w!r}")
    return out


async def provision_stream(js: JetStreamContext, spec: StreamSpec, *, fix: bool = False) -> list[str]:
    """Create the stream, or check it against the code; with ``fix``, update it to match.

    Returns what was changed (with ``fix``); raises ``ConfigDrift`` for a difference otherwise.
    """
    wanted = stream_config(spec)
    try:
        info = await js.stream_info(spec.name)
    except nats.js.errors.NotFoundError:
        await js.add_stream(wanted)
        return []
    drift = differences(info.config, wanted, _STREAM_FIELDS)
    if drift and fix:
        try:
            await js.update_stream(wanted)
        except nats.js.errors.Error as exc:
            raise ConfigDrift(f"Stream {spec.name} cannot be changed in place ({exc}): " + "; ".join(drift)) from exc
        return [f"stream {spec.name}: {d}; updated" for d in drift]
    if drift:
        raise ConfigDrift(
            f"Stream {spec.name} differs from the code: " + "; ".join(drift) + ". Fix: run `smallwins reconcile`,"
            " which updates the stream in place (a change of storage cannot be made in place)."
        )
    return []


async def provision_consumer(js: JetStreamContext, spec: ConsumerSpec, *, fix: bool = False) -> list[str]:
    """Create the durable consumer, or check it against the code; with ``fix``, re-create it.

    A re-created consumer starts from the beginning of its stream again; the runner skips the
    events it had already applied (``processed_events``), so nothing is applied twice.
    """
    wanted = consumer_config(spec)
    try:
        info = await js.consumer_info(spec.stream, spec.durable)
    except nats.js.errors.NotFoundError:
        await js.add_consumer(spec.stream, wanted)
        return []
    have = info.config
    if not have.filter_subjects and have.filter_subject:
        have.filter_subjects = [have.filter_subject]
    drift = differences(have, wanted, _CONSUMER_FIELDS)
    if drift and fix:
        await js.delete_consumer(spec.stream, spec.durable)
        await js.add_consumer(spec.stream, wanted)
        return [f"consumer {spec.durable}: {d}; re-created" for d in drift]
    if drift:
        raise ConfigDrift(
            f"Consumer {spec.durable} on {spec.stream} differs from the code: " + "; ".join(drift) + ". Fix: run"
            " `smallwins reconcile`, which re-creates it from the code; it redelivers its stream and events it had"
            " already applied are skipped."
        )
    return []
