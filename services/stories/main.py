"""Composition root of the stories service."""

from __future__ import annotations

from pathlib import Path

from services.stories import queries
from services.stories.consumers import MEMBER_REGISTERED, on_member_registered
from services.stories.endpoints import routes
from services.stories.events import REGISTRY
from services.stories.handlers import StoriesHandlers
from services.stories.projections import PROJECTIONS
from services.stories.reads import StoriesReads
from shared.bus.rpc import Route
from shared.consumers import Handler
from shared.metrics import Probe
from shared.service import ServiceContext, ServiceDefinition, Subscription

NAME = "stories"


def _routes(ctx: ServiceContext) -> dict[str, Route]:
    return routes(StoriesHandlers(ctx.pool, ctx.store, ctx.settings), StoriesReads(ctx.pool, ctx.settings))


def _people(_ctx: ServiceContext) -> Handler:
    return on_member_registered


SUBSCRIPTIONS = (
    Subscription(
        producer="accounts",
        purpose="people",
        event_types=(MEMBER_REGISTERED,),
        make_handler=_people,
        tables=("people",),
    ),
)


QUEUE_PROBE = Probe(
    gauges={
        "moderation_queue_items": "Stories and replies waiting for a moderator",
        "moderation_queue_urgent_items": "Of those, the ones marked urgent (crisis language)",
        "moderation_queue_oldest_seconds": "How long the oldest waiting item has waited",
    },
    read=queries.queue_figures,
)


def definition() -> ServiceDefinition:
    return ServiceDefinition(
        name=NAME,
        migrations=Path(__file__).parent / "migrations",
        registry=REGISTRY,
        projections=PROJECTIONS,
        routes=_routes,
        subscriptions=SUBSCRIPTIONS,
        probe=QUEUE_PROBE,
    )
