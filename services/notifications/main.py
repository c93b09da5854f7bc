"""Composition root of the notifications service."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from services.notifications.consumers import MEMBER_REGISTERED, on_member_registered
from services.notifications.endpoints import routes
from services.notifications.events import REGISTRY
from services.notifications.handlers import NotificationsHandlers
from services.notifications.projections import PROJECTIONS
from shared.bus.rpc import Route
from shared.consumers import Handler
from shared.service import ServiceContext, ServiceDefinition, Subscription

NAME = "notifications"


def _routes(ctx: ServiceContext) -> dict[str, Route]:
    return routes(NotificationsHandlers(ctx.pool))


def _welcome_handler(ctx: ServiceContext) -> Handler:
    return partial(on_member_registered, store=ctx.store)


SUBSCRIPTIONS = (
    Subscription(
        producer="accounts",
        purpose="welcome",
        event_types=(MEMBER_REGISTERED,),
        make_handler=_welcome_handler,
    ),
)


def definition() -> ServiceDefinition:
    return ServiceDefinition(
        name=NAME,
        migrations=Path(__file__).parent / "migrations",
        registry=REGISTRY,
        projections=PROJECTIONS,
        routes=_routes,
        subscriptions=SUBSCRIPTIONS,
    )
