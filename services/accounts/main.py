"""Composition root of the accounts service: what it is made of; ``shared.service`` runs it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from pathlib import Path

from argon2 import PasswordHasher

from services.accounts.account import AccountHandlers
from services.accounts.consumers import on_erasure_applied
from services.accounts.endpoints import routes
from services.accounts.erasing import ErasureJob
from services.accounts.erasure import ErasureHandlers
from services.accounts.events import REGISTRY
from services.accounts.handlers import AccountsHandlers
from services.accounts.mailing import AccountMail
from services.accounts.projections import PROJECTIONS
from services.accounts.recovery import RecoveryHandlers
from shared.bus.rpc import Route
from shared.consumers import Handler
from shared.contracts.erasure import APPLIED
from shared.mail import MailSender, SmtpTransport
from shared.service import ServiceContext, ServiceDefinition, Subscription, Worker, serve_process
from shared.settings import Settings


def erasure_handlers(ctx: ServiceContext, hasher: PasswordHasher | None = None) -> ErasureHandlers:
    grace = dt.timedelta(days=ctx.settings.erasure_grace_days)
    mail, secret = AccountMail.of(ctx.settings), ctx.settings.secret_key
    return ErasureHandlers(ctx.pool, ctx.store, grace=grace, secret_key=secret, hasher=hasher, mail=mail)


def _routes(ctx: ServiceContext) -> dict[str, Route]:
    mail, hasher, secret = AccountMail.of(ctx.settings), PasswordHasher(), ctx.settings.secret_key
    return routes(
        AccountsHandlers(ctx.pool, ctx.store, secret_key=secret, hasher=hasher, mail=mail),
        AccountHandlers(ctx.pool, ctx.store, secret_key=secret, hasher=hasher, mail=mail),
        RecoveryHandlers(ctx.pool, ctx.store, secret_key=secret, hasher=hasher, mail=mail),
        erasure_handlers(ctx, hasher),
    )


def _workers(ctx: ServiceContext) -> tuple[Worker, ...]:
    """The mail sender and the erasure job: every copy of the service runs both; the database
    decides who sends what and who erases whom."""
    sender = MailSender(ctx.pool, AccountMail.of(ctx.settings).outbox, SmtpTransport(ctx.settings))
    return sender.run, ErasureJob(ctx.pool, erasure_handlers(ctx)).run


def _noting(service: str) -> Callable[[ServiceContext], Handler]:
    """The handler that notes ``service``'s erasure events."""
    return lambda _ctx: partial(on_erasure_applied, service=service)


SERVICE = ServiceDefinition(
    name="accounts",
    migrations=Path(__file__).parent / "migrations",
    registry=REGISTRY,
    projections=PROJECTIONS,
    routes=_routes,
    workers=_workers,
    # Each service's erasure event: an erasure is done when every one has applied it (ADR 34).
    subscriptions=tuple(
        Subscription(
            producer=service,
            purpose=f"erasures-{service}",
            event_types=(applied,),
            make_handler=_noting(service),
        )
        for service, applied in APPLIED.items()
    ),
)


def run_service(settings: Settings) -> None:
    serve_process(SERVICE, settings)
