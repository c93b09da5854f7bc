"""Composition root of the stories service: what it is made of; ``shared.service`` runs it."""

from __future__ import annotations

from pathlib import Path

from services.stories import queries
from services.stories.consumers import people
from services.stories.endpoints import routes
from services.stories.erasing import eraser
from services.stories.events import REGISTRY
from services.stories.handlers import StoriesHandlers
from services.stories.projections import PROJECTIONS
from services.stories.reads import StoriesReads
from shared.bus.rpc import ServiceClient
from shared.contracts import accounts as acc
from shared.contracts.erasure import MEMBER_ERASED
from shared.metrics import Probe
from shared.service import ServiceDefinition, Subscription, serve_process
from shared.settings import Settings

QUEUE_PROBE = Probe(
    gauges={
        "moderation_queue_items": "Stories and replies waiting for a moderator",
        "moderation_queue_urgent_items": "Of those, the ones marked urgent (crisis language)",
        "moderation_queue_oldest_seconds": "How long the oldest waiting item has waited",
    },
    read=queries.queue_figures,
)

SERVICE = ServiceDefinition(
    name="stories",
    migrations=Path(__file__).parent / "migrations",
    registry=REGISTRY,
    projections=PROJECTIONS,
    routes=lambda ctx: routes(StoriesHandlers(ctx.pool, ctx.store, ctx.settings), StoriesReads(ctx.pool, ctx.settings)),
    subscriptions=(
        Subscription(
            producer=acc.SERVICE,
            purpose="people",
            event_types=(acc.MEMBER_REGISTERED,),
            make_handler=lambda ctx: people(ServiceClient(ctx.nc, ctx.settings.nats_prefix)),
            tables=("people",),
        ),
        Subscription(  # the member's stories part goes, in one transaction (services/stories/erasing.py)
            producer=acc.SERVICE,
            purpose="erasure",
            event_types=(MEMBER_ERASED,),
            make_handler=lambda ctx: eraser(ctx.store, ctx.settings.stories_hide_weight),
        ),
    ),
    probe=QUEUE_PROBE,
)


def run_service(settings: Settings) -> None:
    serve_process(SERVICE, settings)
