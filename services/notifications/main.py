"""Composition root of the notifications service: what it is made of; ``shared.service`` runs it."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from services.notifications.consumers import on_member_registered
from services.notifications.endpoints import routes
from services.notifications.events import REGISTRY
from services.notifications.projections import PROJECTIONS
from services.notifications.queries import NotificationsReads
from shared.contracts import accounts as acc
from shared.service import ServiceDefinition, Subscription, serve_process
from shared.settings import Settings

SERVICE = ServiceDefinition(
    name="notifications",
    migrations=Path(__file__).parent / "migrations",
    registry=REGISTRY,
    projections=PROJECTIONS,
    routes=lambda ctx: routes(NotificationsReads(ctx.pool)),
    subscriptions=(
        Subscription(
            producer=acc.SERVICE,
            purpose="welcome",
            event_types=(acc.MEMBER_REGISTERED,),
            make_handler=lambda ctx: partial(on_member_registered, store=ctx.store),
        ),
    ),
)


def run_service(settings: Settings) -> None:
    serve_process(SERVICE, settings)
