"""Correlation ids, access logs and health checks of the web edge."""

from __future__ import annotations

import hmac
import logging
import re
import time
from typing import Any

from litestar import Response, get
from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, NotFoundException
from litestar.handlers import BaseRouteHandler
from litestar.plugins.prometheus import PrometheusConfig, PrometheusController
from litestar.types import ASGIApp, Guard, Message, Receive, Scope, Send

from shared.logging import correlation_id, new_correlation_id
from web.auth import Req

log = logging.getLogger("web.access")
REQUEST_ID_HEADER = "x-request-id"
REDACTED = "[redacted]"
# Routes whose path carries a secret: a journal's claim link is its code, which hands the journal
# over to whoever holds it. Everything after the route's fixed part is left out of the logs.
SECRET_PATHS = (
    re.compile(r"^/journal/claim/"),
    re.compile(r"^/confirm/"),
    re.compile(r"^/reset-password/"),
    re.compile(r"^/unsubscribe/"),
)


def loggable_path(path: str) -> str:
    """``path`` as the access log may keep it: the secret part of a secret route replaced."""
    for secret in SECRET_PATHS:
        found = secret.match(path)
        if found:
            return found.group(0) + REDACTED
    return path


def request_id(scope: Scope) -> str:
    """The request's correlation id: the caller's ``X-Request-Id`` when it is a plausible one."""
    incoming = dict(scope["headers"]).get(REQUEST_ID_HEADER.encode(), b"").decode("latin-1")
    return incoming if 8 <= len(incoming) <= 64 and incoming.isalnum() else new_correlation_id()


def log_request(scope: Scope, status: int, started: float) -> None:
    """The access log's line for a request that began at ``started`` (``time.perf_counter()``)."""
    log.info(
        "request",
        extra={
            "method": scope.get("method", ""),
            "path": loggable_path(scope["path"]),
            "status": status,
            "ms": round((time.perf_counter() - started) * 1000, 2),
        },
    )


def correlation_middleware(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # type: ignore[comparison-overlap]
            await app(scope, receive, send)
            return
        cid = request_id(scope)
        token = correlation_id.set(cid)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []), (REQUEST_ID_HEADER.encode(), cid.encode())]
            await send(message)

        try:
            await app(scope, receive, send_with_id)
        finally:
            log_request(scope, status, started)
            correlation_id.reset(token)

    return middleware


@get("/health/live", include_in_schema=False)
async def live() -> dict[str, str]:
    return {"status": "alive"}


@get("/health/ready", include_in_schema=False)
async def ready(request: Req) -> Response[dict[str, object]]:
    """Ready when this copy's NATS connection is up and every service answers (from the last probe)."""
    ok, checks = await request.app.state.readiness.report()
    return Response({"status": "ready" if ok else "not ready", "checks": checks}, status_code=200 if ok else 503)


# Requests, latency histogram and status by route template (not by raw path: ids would explode the
# label space), scraped at /metrics. Health checks and the metrics themselves are left out.
PROMETHEUS = PrometheusConfig(
    app_name="smallwins_web",
    prefix="smallwins_web",
    group_path=True,
    exclude=["/health", "/metrics", "/static"],
)


def metrics_token(connection: ASGIConnection[Any, Any, Any, Any], _handler: BaseRouteHandler) -> None:
    """/metrics is on the public port, so it answers only to ``Authorization: Bearer <token>``
    with the configured ``SMALLWINS_METRICS_TOKEN``; without one configured it is not there (404)."""
    token: str = connection.app.state.settings.metrics_token
    if not token:
        raise NotFoundException("Metrics are not served here: set SMALLWINS_METRICS_TOKEN to serve them.")
    scheme, _, given = connection.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), token.encode()):
        raise NotAuthorizedException(
            "Send the metrics token as 'Authorization: Bearer <token>'.", headers={"WWW-Authenticate": "Bearer"}
        )


class Metrics(PrometheusController):
    path = "/metrics"
    include_in_schema = False
    guards: list[Guard] | None = [metrics_token]  # noqa: RUF012 - Litestar declares it as an instance attribute
