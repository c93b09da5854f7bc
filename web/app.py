"""The web edge: ``create_app(settings)`` is its composition root."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import cast

from litestar import Litestar
from litestar.config.compression import CompressionConfig
from litestar.datastructures import State
from litestar.enums import ScopeType
from litestar.exceptions import HTTPException
from litestar.middleware import DefineMiddleware
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.template import TemplateConfig
from litestar.types import HTTPScope, LifeSpanReceive, LifeSpanScope, LifeSpanSend, Receive, Scope, Send

from shared.bus.connection import connect
from shared.bus.rpc import ServiceClient
from shared.errors import DomainError
from shared.settings import Settings
from web.api.account import AccountApi
from web.api.accounts import AccountsApi
from web.api.erasure import ErasureApi
from web.api.export import ExportApi
from web.api.inbox import InboxApi
from web.api.journal import JournalApi
from web.api.notifications import NotificationsApi
from web.api.openapi import openapi_config
from web.api.stories import ModerationApi, PostsApi, StoriesApi
from web.assets import StaticAssets, static_route
from web.errors import EdgeRequest, on_domain_error, on_http_error, on_unexpected
from web.feedcache import FeedCache
from web.live import InboxHub
from web.observability import PROMETHEUS, Metrics, correlation_middleware, live, ready
from web.pages import live as live_page
from web.pages.accounts import AccountPages
from web.pages.export import ExportPages
from web.pages.home import HomePages
from web.pages.inbox import InboxPages
from web.pages.journal import JournalPages
from web.pages.leaving import LeavingPages
from web.pages.moderation import ModerationPages
from web.pages.recovery import RecoveryPages
from web.pages.settings import SettingsPages
from web.pages.stories import StoryPages
from web.pages.supporters import SupporterPages
from web.pages.unsubscribe import UnsubscribePages
from web.proxies import parse_networks, trusted_client
from web.queue import register_queue
from web.ratelimits import rate_limits
from web.readiness import Readiness
from web.security import csrf_config, security_headers
from web.services import Services
from web.sessions import SessionCache
from web.templating import register_template_helpers
from web.timeline import register_timeline

HERE = Path(__file__).parent


def _template_helpers(assets: StaticAssets) -> Callable[[JinjaTemplateEngine], None]:
    def register(engine: JinjaTemplateEngine) -> None:
        register_template_helpers(engine)
        register_timeline(engine)
        register_queue(engine)
        engine.engine.globals["static_url"] = assets.url

    return register


def compression() -> CompressionConfig:
    """Pages, the API and static files, compressed when they are worth it: brotli for a browser
    that takes it, gzip for the rest (ADR 0024). Levels chosen for speed: a page is made per request.
    The live inbox stream never reaches it (``WebApp``): a compressor would hold its small events back."""
    return CompressionConfig(
        backend="brotli", brotli_quality=4, gzip_fallback=True, gzip_compress_level=6, minimum_size=500
    )


class WebApp(Litestar):
    """Litestar, with the live inbox's event stream answered before its routing and middleware
    (``web.pages.live``): one process holds thousands of streams, each for half an hour, and the
    stack a routed request keeps open for as long as it lasts would be most of a stream's cost."""

    async def __call__(
        self, scope: Scope | LifeSpanScope, receive: Receive | LifeSpanReceive, send: Send | LifeSpanSend
    ) -> None:
        if scope["type"] == ScopeType.HTTP and cast("HTTPScope", scope)["path"] == live_page.PATH:
            await live_page.serve(self.state, cast("HTTPScope", scope), cast("Receive", receive), cast("Send", send))
            return
        await super().__call__(scope, receive, send)


def create_app(settings: Settings, *, clock: Callable[[], float] = time.time) -> Litestar:
    """The web edge; ``clock`` times the rate limits (tests set it)."""
    _, nats_url = settings.servers()
    assets = StaticAssets(HERE / "static")

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        nc = await connect(nats_url, name=f"{settings.nats_prefix}-web")
        app.state.nc = nc
        sessions = SessionCache()
        await sessions.follow(nc, settings.nats_prefix)
        feeds = FeedCache()
        await feeds.follow(nc, settings.nats_prefix)
        app.state.live = InboxHub()
        await app.state.live.follow(nc, settings.nats_prefix)
        client = ServiceClient(nc, settings.nats_prefix, settings.request_timeout)
        app.state.services = Services(client, sessions, feeds)
        app.state.readiness = readiness = Readiness(app.state.services, nc)
        stop = asyncio.Event()
        probing = asyncio.create_task(readiness.run(stop))
        beating = asyncio.create_task(live_page.heartbeats(app.state.live, stop))
        try:
            yield
        finally:
            app.state.live.drop_all()
            stop.set()
            await asyncio.gather(probing, beating)
            await nc.drain()

    return WebApp(
        route_handlers=[
            HomePages,
            InboxPages,
            AccountPages,
            SettingsPages,
            LeavingPages,
            RecoveryPages,
            UnsubscribePages,
            JournalPages,
            ExportPages,
            SupporterPages,
            StoryPages,
            ModerationPages,
            AccountsApi,
            AccountApi,
            ErasureApi,
            InboxApi,
            NotificationsApi,
            JournalApi,
            ExportApi,
            StoriesApi,
            PostsApi,
            ModerationApi,
            live,
            ready,
            Metrics,
            static_route(assets),
        ],
        lifespan=[lifespan],
        middleware=[
            DefineMiddleware(trusted_client, trusted=parse_networks(settings.trusted_proxies)),
            correlation_middleware,
            PROMETHEUS.middleware,
            *rate_limits(settings, clock),
        ],
        before_send=[security_headers],
        template_config=TemplateConfig(
            directory=HERE / "templates", engine=JinjaTemplateEngine, engine_callback=_template_helpers(assets)
        ),
        compression_config=compression(),
        csrf_config=csrf_config(settings),
        openapi_config=openapi_config(),
        exception_handlers={
            DomainError: on_domain_error,
            HTTPException: on_http_error,
            Exception: on_unexpected,
        },
        request_class=EdgeRequest,
        state=State({"settings": settings}),
        logging_config=None,  # the process's JSON logging stays in charge
        debug=False,
    )
