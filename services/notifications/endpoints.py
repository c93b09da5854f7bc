"""The notifications service on NATS: verb -> handler."""

from __future__ import annotations

from services.notifications.handlers import NotificationsHandlers
from shared.bus.rpc import Route, serves
from shared.contracts.notifications import INBOX


def routes(handlers: NotificationsHandlers) -> dict[str, Route]:
    return dict([serves(INBOX, handlers.inbox)])
