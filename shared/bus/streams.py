"""JetStream streams and durable consumers, declared in code and provisioned at start.

An existing stream or consumer whose configuration differs from the code fails loudly
(``ConfigDrift``): nats-py's ``pull_subscribe`` would silently keep the old settings.
"""

from __future__ import annotations

import msgspec
import nats.js.errors
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy, StorageType, StreamConfig

DUPLICATE_WINDOW_S = 300.0


class ConfigDrift(RuntimeError):
    """A stream or consumer on the server is configured differently from the code."""


class StreamSpec(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    subjects: tuple[str, ...]
    duplicate_window: float = DUPLICATE_WINDOW_S
    replicas: int = 1


class ConsumerSpec(msgspec.Struct, frozen=True, kw_only=True):
    stream: str
    durable: str
    filter_subjects: tuple[str, ...]
    ack_wait: float = 30.0
    max_ack_pending: int = 1000


def event_stream(prefix: str, service: str) -> StreamSpec:
    """The stream a service's relay publishes to: ``<prefix>.<service>.events.>``."""
    return StreamSpec(name=f"{prefix}_{service}_events".upper(), subjects=(f"{prefix}.{service}.events.>",))


def event_subject(prefix: str, service: str, event_type: str) -> str:
    return f"{prefix}.{service}.events.{event_type}"


def wake_subject(prefix: str, service: str) -> str:
    """Core NATS (no stream): a copy that committed events wakes the service's relay leader."""
    return f"{prefix}.{service}.relay.wake"


async def provision_stream(js: JetStreamContext, spec: StreamSpec) -> None:
    wanted = StreamConfig(
        name=spec.name,
        subjects=list(spec.subjects),
        storage=StorageType.FILE,
        duplicate_window=spec.duplicate_window,
        num_replicas=spec.replicas,
    )
    try:
        info = await js.stream_info(spec.name)
    except nats.js.errors.NotFoundError:
        await js.add_stream(wanted)
        return
    have = info.config
    drift = []
    if sorted(have.subjects or []) != sorted(spec.subjects):
        drift.append(f"subjects {have.subjects} != {list(spec.subjects)}")
    if have.storage != StorageType.FILE:
        drift.append(f"storage {have.storage} != file")
    if abs((have.duplicate_window or 0) - spec.duplicate_window) > 0.001:
        drift.append(f"duplicate_window {have.duplicate_window} != {spec.duplicate_window}")
    if drift:
        raise ConfigDrift(f"Stream {spec.name} differs from the code: " + "; ".join(drift))


async def provision_consumer(js: JetStreamContext, spec: ConsumerSpec) -> None:
    wanted = ConsumerConfig(
        durable_name=spec.durable,
        deliver_policy=DeliverPolicy.ALL,
        ack_policy=AckPolicy.EXPLICIT,
        ack_wait=spec.ack_wait,
        max_ack_pending=spec.max_ack_pending,
        filter_subjects=list(spec.filter_subjects),
    )
    try:
        info = await js.consumer_info(spec.stream, spec.durable)
    except nats.js.errors.NotFoundError:
        await js.add_consumer(spec.stream, wanted)
        return
    have = info.config
    have_filters = sorted(have.filter_subjects or ([have.filter_subject] if have.filter_subject else []))
    drift = []
    if have_filters != sorted(spec.filter_subjects):
        drift.append(f"filter subjects {have_filters} != {sorted(spec.filter_subjects)}")
    if have.ack_policy != AckPolicy.EXPLICIT:
        drift.append(f"ack policy {have.ack_policy} != explicit")
    if abs((have.ack_wait or 0) - spec.ack_wait) > 0.001:
        drift.append(f"ack_wait {have.ack_wait} != {spec.ack_wait}")
    if drift:
        raise ConfigDrift(f"Consumer {spec.durable} on {spec.stream} differs from the code: " + "; ".join(drift))
