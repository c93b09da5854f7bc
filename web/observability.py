"""Correlation ids, access logs and health checks of the web edge."""

from __future__ import annotations

import asyncio
import logging
import time

from litestar import Response, get
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from shared.errors import Unavailable
from shared.logging import correlation_id, new_correlation_id
from web.auth import Req, services_of
from web.services import SERVICES

log = logging.getLogger("web.access")
REQUEST_ID_HEADER = "x-request-id"


def correlation_middleware(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # type: ignore[comparison-overlap]
            await app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        incoming = headers.get(REQUEST_ID_HEADER.encode(), b"").decode("latin-1")
        cid = incoming if 8 <= len(incoming) <= 64 and incoming.isalnum() else new_correlation_id()
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
            log.info(
                "request",
                extra={
                    "method": scope.get("method", ""),
                    "path": scope["path"],
                    "status": status,
                    "ms": round((time.perf_counter() - started) * 1000, 2),
                },
            )
            correlation_id.reset(token)

    return middleware


@get("/health/live", include_in_schema=False)
async def live() -> dict[str, str]:
    return {"status": "alive"}


@get("/health/ready", include_in_schema=False)
async def ready(request: Req) -> Response[dict[str, object]]:
    """Ready when NATS is connected and every service answers healthy (Postgres, relay, consumers)."""
    services = services_of(request)
    nc = request.app.state.nc
    checks: dict[str, object] = {"nats": bool(nc.is_connected)}

    async def one(name: str) -> object:
        try:
            view = await services.health(name)
        except Unavailable as exc:
            return {"ok": False, "error": exc.message}
        return {"ok": view.ok, "postgres": view.postgres, "relay": view.relay, "consumers": view.consumers}

    results = await asyncio.gather(*(one(name) for name in SERVICES))
    checks.update(zip(SERVICES, results, strict=True))
    ok = checks["nats"] is True and all(isinstance(r, dict) and r.get("ok") for r in results)
    return Response({"status": "ready" if ok else "not ready", "checks": checks}, status_code=200 if ok else 503)
