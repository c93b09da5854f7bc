"""Rate limits at the edge: sign-ups and links asked for by mail per client address, and writes on
/api per client address and per signed-in member. A request over a limit is answered 429 with ``Retry-After`` and a
problem body (``RateLimited``, mapped in web/errors.py), before it reaches any service.

This is Litestar's rate limiting (``RateLimitConfig``, its middleware, its fixed window and the
app's store named ``rate_limit``) with three additions: a key that may ask who the member is (so
it is async, and ``None`` leaves a request out), a clock the tests set, and the answer above. The
store is in the process by default, so each web copy counts on its own; registering a shared
Litestar store under that name makes every copy count together. Failed sign-ins are slowed down by
the accounts service itself (per e-mail and per address), not here.
"""

from __future__ import annotations

import math
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import anyio
from litestar.middleware.rate_limit import DURATION_VALUES, CacheObject, RateLimitConfig, RateLimitMiddleware
from litestar.serialization import decode_json, encode_json
from litestar.stores.base import Store
from litestar.types import ASGIApp, Receive, Scope, Send

from shared.errors import RateLimited, Unauthenticated
from shared.settings import Settings
from web.auth import Req, services_of
from web.security import is_api

WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
SIGN_UPS = frozenset({("POST", "/signup"), ("POST", "/api/members")})
MAIL_LINKS = frozenset(
    {
        ("POST", "/forgot-password"), ("POST", "/api/account/password-reset"),
        ("POST", "/settings/confirmation"), ("POST", "/api/account/confirmation"),
    }
)  # fmt: skip
"""Forms that send a link by mail. Per address, accounts itself sends at most a few an hour."""
Key = Callable[[Req], Awaitable[str | None]]
Clock = Callable[[], float]


class EdgeRateLimit(RateLimitMiddleware):
    """Litestar's rate-limit middleware, keyed by ``Limit.key`` and timed by ``Limit.clock``."""

    def __init__(self, app: ASGIApp, config: Limit) -> None:
        super().__init__(app, config)
        self.limit = config
        self._lock = config.lock  # one lock per limit, not per route: the routes share its counts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope.get("method") not in WRITES:  # every limit counts writes: a read passes untouched
            await self.app(scope, receive, send)
            return
        request: Req = scope["litestar_app"].request_class(scope)
        key = await self.limit.key(request)
        if key is not None:
            store = self.limit.get_store_from_app(scope["litestar_app"])
            name = f"{self.limit.name}:{key}"
            async with self._lock:
                seen = await self.retrieve_cached_history(name, store)
                if len(seen.history) >= self.max_requests:
                    wait = max(1, seen.reset - int(self.limit.clock()))
                    raise RateLimited(self.limit.message.format(wait=_human(wait)), retry_after=wait)
                await self.set_cached_history(name, seen, store)
        await self.app(scope, receive, send)

    async def retrieve_cached_history(self, key: str, store: Store) -> CacheObject:
        now = int(self.limit.clock())
        cached = await store.get(key)
        if cached:
            seen = CacheObject(**decode_json(value=cached))
            if seen.reset > now:
                return seen
        return CacheObject(history=[], reset=now + DURATION_VALUES[self.unit])

    async def set_cached_history(self, key: str, cache_object: CacheObject, store: Store) -> None:
        cache_object.history = [int(self.limit.clock()), *cache_object.history]
        await store.set(key, encode_json(cache_object), expires_in=DURATION_VALUES[self.unit])


async def _nobody(_request: Req) -> str | None:
    return None


@dataclass
class Limit(RateLimitConfig):
    name: str = ""
    key: Key = _nobody
    message: str = "Please wait {wait} and try again."
    clock: Clock = time.time
    lock: anyio.Lock = field(default_factory=anyio.Lock)
    middleware_class: type[RateLimitMiddleware] = EdgeRateLimit
    set_rate_limit_headers: bool = False  # three limits would overwrite each other's RateLimit-* headers


def _address(request: Req) -> str:
    return request.client.host if request.client else "unknown"


def _is_api_write(request: Req) -> bool:
    return request.method in WRITES and is_api(request.scope["path"])


async def sign_up_address(request: Req) -> str | None:
    return _address(request) if (request.method, request.scope["path"]) in SIGN_UPS else None


async def mail_link_address(request: Req) -> str | None:
    return _address(request) if (request.method, request.scope["path"]) in MAIL_LINKS else None


async def writer_address(request: Req) -> str | None:
    return _address(request) if _is_api_write(request) else None


async def writer_member(request: Req) -> str | None:
    """The signed-in member's id; a write without a valid token is left to the handler's 401."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if not _is_api_write(request) or scheme.lower() != "bearer" or not token.strip():
        return None
    try:
        member = await services_of(request).member_for(token.strip())
    except Unauthenticated:
        return None
    return str(member.member_id)


def rate_limits(settings: Settings, clock: Clock = time.time) -> list[Any]:
    """The middleware of every limit that is switched on (a limit of 0 is off)."""
    limits = [
        Limit(
            rate_limit=("hour", settings.signups_per_hour), name="sign-ups", key=sign_up_address, clock=clock,
            message="There have been too many sign-ups from your network. Please wait {wait} and try again.",
        ),
        Limit(
            rate_limit=("hour", settings.mail_links_per_hour), name="mail-links", key=mail_link_address,
            clock=clock, message="Many links have been asked for from your network. Please wait {wait} and try again.",
        ),
        Limit(
            rate_limit=("minute", settings.address_writes_per_minute), name="address", key=writer_address,
            clock=clock, message="Too many changes are coming from your network. Please wait {wait} and try again.",
        ),
        Limit(
            rate_limit=("minute", settings.member_writes_per_minute), name="member", key=writer_member, clock=clock,
            message="You're making changes faster than we can take them. Please wait {wait} and try again.",
        ),
    ]  # fmt: skip
    return [limit.middleware for limit in limits if limit.rate_limit[1] > 0]


def _human(seconds: int) -> str:
    return f"{seconds} seconds" if seconds < 90 else f"{math.ceil(seconds / 60)} minutes"
