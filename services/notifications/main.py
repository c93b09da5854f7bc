"""Composition root of the notifications service: what it is made of; ``shared.service`` runs it."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from services.notifications.consumers import on_journal_event, on_member_registered, on_story_event
from services.notifications.endpoints import routes
from services.notifications.events import REGISTRY
from services.notifications.handlers import NotificationsHandlers
from services.notifications.projections import PROJECTIONS
from services.notifications.queries import NotificationsReads
from shared.contracts import accounts as acc
from shared.contracts import journal_events as je
from shared.contracts import story_events as se
from shared.service import ServiceDefinition, Subscription, serve_process
from shared.settings import Settings

SERVICE = ServiceDefinition(
    name="notifications",
    migrations=Path(__file__).parent / "migrations",
    registry=REGISTRY,
    projections=PROJECTIONS,
    routes=lambda ctx: routes(NotificationsReads(ctx.pool), NotificationsHandlers(ctx.pool, ctx.store)),
    subscriptions=(
        Subscription(
            producer=acc.SERVICE,
            purpose="welcome",
            event_types=(acc.MEMBER_REGISTERED,),
            make_handler=lambda ctx: partial(on_member_registered, store=ctx.store),
        ),
        # The inbox: each producer's events in one consumer, so they apply in the producer's order.
        Subscription(
            producer="stories",
            purpose="inbox-stories",
            event_types=se.FOR_NOTIFICATIONS,
            make_handler=lambda ctx: partial(on_story_event, store=ctx.store),
        ),
        Subscription(
            producer="journal",
            purpose="inbox-journal",
            event_types=je.FOR_NOTIFICATIONS,
            make_handler=lambda ctx: partial(on_journal_event, store=ctx.store),
        ),
    ),
)


def run_service(settings: Settings) -> None:
    serve_process(SERVICE, settings)
