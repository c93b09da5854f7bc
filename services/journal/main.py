"""Composition root of the journal service: what it is made of; ``shared.service`` runs it."""

from __future__ import annotations

from pathlib import Path

from services.journal.consumers import people
from services.journal.endpoints import routes
from services.journal.erasure import member_erased
from services.journal.events import REGISTRY
from services.journal.handlers import JournalHandlers
from services.journal.projections import PROJECTIONS
from services.journal.reads import JournalReads
from shared.bus.rpc import ServiceClient
from shared.contracts import accounts as acc
from shared.contracts.erasure import MEMBER_ERASED
from shared.service import ServiceDefinition, Subscription, serve_process
from shared.settings import Settings

SERVICE = ServiceDefinition(
    name="journal",
    migrations=Path(__file__).parent / "migrations",
    registry=REGISTRY,
    projections=PROJECTIONS,
    routes=lambda ctx: routes(JournalHandlers(ctx.pool, ctx.store), JournalReads(ctx.pool)),
    subscriptions=(
        Subscription(
            producer=acc.SERVICE,
            purpose="people",
            event_types=(acc.MEMBER_REGISTERED,),
            make_handler=lambda ctx: people(ServiceClient(ctx.nc, ctx.settings.nats_prefix)),
            tables=("people",),
        ),
        Subscription(
            producer=acc.SERVICE,
            purpose="erasure",
            event_types=(MEMBER_ERASED,),
            make_handler=lambda ctx: member_erased(ctx.store),
        ),
    ),
)


def run_service(settings: Settings) -> None:
    serve_process(SERVICE, settings)
