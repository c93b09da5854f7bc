"""Composition root of the notifications service: what it is made of; ``shared.service`` runs it."""

from __future__ import annotations

import datetime as dt
from functools import partial
from pathlib import Path

from services.notifications.consumers import (
    journal_again,
    on_journal_event,
    on_member_registered,
    on_story_event,
    person_again,
    post_again,
)
from services.notifications.endpoints import routes
from services.notifications.erasing import eraser
from services.notifications.events import REGISTRY
from services.notifications.exporting import ExportReads
from services.notifications.handlers import NotificationsHandlers
from services.notifications.jobs import Mailer
from services.notifications.preferences import PreferenceHandlers
from services.notifications.projections import PROJECTIONS
from services.notifications.queries import NotificationsReads
from services.notifications.scheduler import Scheduler
from services.notifications.whereabouts import on_entry_recorded, on_time_zone_set
from shared.bus.rpc import Route, ServiceClient
from shared.contracts import accounts as acc
from shared.contracts import journal_events as je
from shared.contracts import story_events as se
from shared.contracts.erasure import MEMBER_ERASED
from shared.mail import MailSender, Outbox, SmtpTransport
from shared.service import ServiceContext, ServiceDefinition, Subscription, Worker, serve_process
from shared.settings import Settings


def _routes(ctx: ServiceContext) -> dict[str, Route]:
    prefs = PreferenceHandlers(ctx.pool, ctx.store, secret_key=ctx.settings.secret_key)
    return routes(
        NotificationsReads(ctx.pool), NotificationsHandlers(ctx.pool, ctx.store), prefs, ExportReads(ctx.pool)
    )


def mailer_of(ctx: ServiceContext) -> Mailer:
    s = ctx.settings
    return Mailer(
        outbox=Outbox("notifications", s.mail_from), accounts=ServiceClient(ctx.nc, s.nats_prefix), base_url=s.url,
        secret=s.secret_key, delay=dt.timedelta(seconds=s.notification_mail_delay_s),
        per_day=s.notification_mails_per_day,
    )  # fmt: skip


def _workers(ctx: ServiceContext) -> tuple[Worker, ...]:
    """The scheduler and the mail sender: every copy runs both; the database decides who does what."""
    mailer = mailer_of(ctx)
    return Scheduler(ctx.pool, mailer).run, MailSender(ctx.pool, mailer.outbox, SmtpTransport(ctx.settings)).run


SERVICE = ServiceDefinition(
    name="notifications",
    migrations=Path(__file__).parent / "migrations",
    registry=REGISTRY,
    projections=PROJECTIONS,
    routes=_routes,
    workers=_workers,
    subscriptions=(
        Subscription(
            producer=acc.SERVICE,
            purpose="welcome",
            event_types=(acc.MEMBER_REGISTERED,),
            make_handler=lambda ctx: partial(
                on_member_registered, store=ctx.store, accounts=ServiceClient(ctx.nc, ctx.settings.nats_prefix)
            ),
            tables=("people",),
            read_model="people",
            make_rebuilder=lambda ctx: partial(person_again, accounts=ServiceClient(ctx.nc, ctx.settings.nats_prefix)),
        ),
        # The inbox: each producer's events in one consumer, so they apply in the producer's order.
        # What it keeps to address items (people, posts, journals and their supporters) is
        # rebuilt from the producers' streams by replaying only those writes (ADR 13, ADR 31).
        Subscription(
            producer="stories",
            purpose="inbox-stories",
            event_types=se.FOR_NOTIFICATIONS,
            make_handler=lambda ctx: partial(on_story_event, store=ctx.store),
            tables=("posts",),
            read_model="posts",
            make_rebuilder=lambda _ctx: post_again,
        ),
        Subscription(
            producer="journal",
            purpose="inbox-journal",
            event_types=je.FOR_NOTIFICATIONS,
            make_handler=lambda ctx: partial(on_journal_event, store=ctx.store),
            tables=("journals", "supporters"),
            read_model="journals",
            make_rebuilder=lambda _ctx: journal_again,
        ),
        # Timing (ADR 31): the member's time zone, and whether they wrote today (reminders).
        Subscription(
            producer=acc.SERVICE,
            purpose="zones",
            event_types=(acc.TIME_ZONE_SET,),
            make_handler=lambda _ctx: on_time_zone_set,
            tables=("zones",),
        ),
        Subscription(
            producer="journal",
            purpose="reminders",
            event_types=(je.ENTRY_RECORDED,),
            make_handler=lambda _ctx: on_entry_recorded,
            tables=("last_wrote",),
            read_model="last_wrote",
        ),
        # Erasure (ADR 37): the member's part goes in one transaction (services/notifications/erasing.py).
        Subscription(
            producer=acc.SERVICE,
            purpose="erasure",
            event_types=(MEMBER_ERASED,),
            make_handler=lambda ctx: eraser(ctx.store),
        ),
    ),
)


def run_service(settings: Settings) -> None:
    serve_process(SERVICE, settings)
