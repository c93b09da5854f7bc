"""Composition root of the notifications service: what it is made of; ``shared.service`` runs it."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from services.notifications.consumers import MEMBER_REGISTERED, on_member_registered
from services.notifications.endpoints import routes
from services.notifications.events import REGISTRY
from services.notifications.handlers import NotificationsHandlers
from services.notifications.projections import PROJECTIONS
from shared.service import ServiceDefinition, Subscription, serve_process
from shared.settings import Settings

SERVICE = ServiceDefinition(
    name="notifications",
    migrations=Path(__file__).parent / "migrations",
    registry=REGISTRY,
    projections=PROJECTIONS,
    routes=lambda ctx: routes(NotificationsHandlers(ctx.pool)),
    subscriptions=(
        Subscription(
            producer="accounts",
            purpose="welcome",
            event_types=(MEMBER_REGISTERED,),
            make_handler=lambda ctx: partial(on_member_registered, store=ctx.store),
        ),
    ),
)


def run_service(settings: Settings) -> None:
    serve_process(SERVICE, settings)
