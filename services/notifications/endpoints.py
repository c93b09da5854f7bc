"""The notifications service on NATS: verb -> handler."""

from __future__ import annotations

from services.notifications.handlers import NotificationsHandlers
from shared.bus.rpc import Route, route
from shared.contracts.notifications import InboxRequest


def routes(handlers: NotificationsHandlers) -> dict[str, Route]:
    return {"inbox": route(InboxRequest, handlers.inbox)}
