"""Composition root of the accounts service: what it is made of; ``shared.service`` runs it."""

from __future__ import annotations

from pathlib import Path

from argon2 import PasswordHasher

from services.accounts.account import AccountHandlers
from services.accounts.endpoints import routes
from services.accounts.events import REGISTRY
from services.accounts.handlers import AccountsHandlers
from services.accounts.mailing import AccountMail
from services.accounts.projections import PROJECTIONS
from services.accounts.recovery import RecoveryHandlers
from shared.bus.rpc import Route
from shared.mail import MailSender, SmtpTransport
from shared.service import ServiceContext, ServiceDefinition, Worker, serve_process
from shared.settings import Settings


def _routes(ctx: ServiceContext) -> dict[str, Route]:
    mail, hasher, secret = AccountMail.of(ctx.settings), PasswordHasher(), ctx.settings.secret_key
    return routes(
        AccountsHandlers(ctx.pool, ctx.store, secret_key=secret, hasher=hasher, mail=mail),
        AccountHandlers(ctx.pool, ctx.store, secret_key=secret, hasher=hasher, mail=mail),
        RecoveryHandlers(ctx.pool, ctx.store, secret_key=secret, hasher=hasher, mail=mail),
    )


def _workers(ctx: ServiceContext) -> tuple[Worker, ...]:
    """The mail sender: every copy of the service runs one; the database decides who sends what."""
    sender = MailSender(ctx.pool, AccountMail.of(ctx.settings).outbox, SmtpTransport(ctx.settings))
    return (sender.run,)


SERVICE = ServiceDefinition(
    name="accounts",
    migrations=Path(__file__).parent / "migrations",
    registry=REGISTRY,
    projections=PROJECTIONS,
    routes=_routes,
    workers=_workers,
)


def run_service(settings: Settings) -> None:
    serve_process(SERVICE, settings)
