"""Composition root of the accounts service: what it is made of; ``shared.service`` runs it."""

from __future__ import annotations

from pathlib import Path

from services.accounts.endpoints import routes
from services.accounts.events import REGISTRY
from services.accounts.handlers import AccountsHandlers
from services.accounts.projections import PROJECTIONS
from shared.service import ServiceDefinition, serve_process
from shared.settings import Settings

SERVICE = ServiceDefinition(
    name="accounts",
    migrations=Path(__file__).parent / "migrations",
    registry=REGISTRY,
    projections=PROJECTIONS,
    routes=lambda ctx: routes(AccountsHandlers(ctx.pool, ctx.store, secret_key=ctx.settings.secret_key)),
)


def run_service(settings: Settings) -> None:
    serve_process(SERVICE, settings)
