"""Composition root of the accounts service."""

from __future__ import annotations

from pathlib import Path

from services.accounts.endpoints import routes
from services.accounts.events import REGISTRY
from services.accounts.handlers import AccountsHandlers
from services.accounts.projections import PROJECTIONS
from shared.bus.rpc import Route
from shared.service import ServiceContext, ServiceDefinition

NAME = "accounts"


def _routes(ctx: ServiceContext) -> dict[str, Route]:
    return routes(AccountsHandlers(ctx.pool, ctx.store, secret_key=ctx.settings.secret_key))


def definition() -> ServiceDefinition:
    return ServiceDefinition(
        name=NAME,
        migrations=Path(__file__).parent / "migrations",
        registry=REGISTRY,
        projections=PROJECTIONS,
        routes=_routes,
    )
