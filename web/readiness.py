"""Readiness of this web copy, kept up to date in the background.

``/health/ready`` answers at once from the last probe: this copy is ready when its own NATS
connection is up and every service answered a health call recently. A service that answers but
reports a degraded part (a consumer stopped, its relay standing by) is shown in the body without
taking the web copy out of rotation: every copy would see the same thing, and none of them could
serve better by being removed.
"""

from __future__ import annotations

import asyncio
import contextlib
import time

import msgspec
from nats.aio.client import Client

from shared.contracts.common import HealthView
from shared.errors import DomainError
from web.services import SERVICES, Services

PROBE_TIMEOUT_S = 2.0


class ServiceCheck(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    answered: bool
    ok: bool = False
    postgres: bool | None = None
    relay: str | None = None
    consumers: dict[str, bool] = {}
    error: str | None = None


class Readiness:
    def __init__(self, services: Services, nc: Client, *, interval: float = 1.0, stale_after: float = 5.0) -> None:
        self._services = services
        self._nc = nc
        self._interval = interval
        self._stale_after = stale_after
        self._checks: dict[str, ServiceCheck] = {}
        self._probed_at = 0.0
        self._first = asyncio.Event()

    async def probe(self) -> None:
        results = await asyncio.gather(*(self._one(name) for name in SERVICES))
        self._checks = dict(zip(SERVICES, results, strict=True))
        self._probed_at = time.monotonic()
        self._first.set()

    async def _one(self, name: str) -> ServiceCheck:
        try:
            view: HealthView = await asyncio.wait_for(self._services.health(name), PROBE_TIMEOUT_S)
        except (DomainError, TimeoutError) as exc:
            return ServiceCheck(answered=False, error=str(exc) or "no answer in time")
        return ServiceCheck(
            answered=True, ok=view.ok, postgres=view.postgres, relay=view.relay, consumers=view.consumers
        )

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            with contextlib.suppress(Exception):  # a probe that fails leaves the checks to go stale
                await self.probe()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self._interval)

    async def report(self) -> tuple[bool, dict[str, object]]:
        if not self._first.is_set():  # just started: wait for the first probe (bounded by its timeout)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._first.wait(), PROBE_TIMEOUT_S + 0.5)
        fresh = time.monotonic() - self._probed_at <= self._stale_after
        connected = bool(self._nc.is_connected)
        ago = round(time.monotonic() - self._probed_at, 1) if self._first.is_set() else None
        checks: dict[str, object] = {"nats": connected, "probed_s_ago": ago}
        checks.update({name: msgspec.to_builtins(check) for name, check in self._checks.items()})
        answered = len(self._checks) == len(SERVICES) and all(c.answered for c in self._checks.values())
        degraded = sorted(name for name, c in self._checks.items() if c.answered and not c.ok)
        if degraded:
            checks["degraded"] = degraded
        return connected and fresh and answered, checks
