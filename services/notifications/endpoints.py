"""The notifications service on NATS: verb -> query."""

from __future__ import annotations

from services.notifications.queries import NotificationsReads
from shared.bus.rpc import Route, serves
from shared.contracts.notifications import INBOX


def routes(reads: NotificationsReads) -> dict[str, Route]:
    return dict([serves(INBOX, reads.inbox)])
