"""Composition root of the journal service."""

from __future__ import annotations

from pathlib import Path

from services.journal.consumers import MEMBER_REGISTERED, on_member_registered
from services.journal.endpoints import routes
from services.journal.events import REGISTRY
from services.journal.handlers import JournalHandlers
from services.journal.projections import PROJECTIONS
from services.journal.reads import JournalReads
from shared.bus.rpc import Route
from shared.consumers import Handler
from shared.service import ServiceContext, ServiceDefinition, Subscription

NAME = "journal"


def _routes(ctx: ServiceContext) -> dict[str, Route]:
    return routes(JournalHandlers(ctx.pool, ctx.store), JournalReads(ctx.pool))


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


def definition() -> ServiceDefinition:
    return ServiceDefinition(
        name=NAME,
        migrations=Path(__file__).parent / "migrations",
        registry=REGISTRY,
        projections=PROJECTIONS,
        routes=_routes,
        subscriptions=SUBSCRIPTIONS,
    )
