"""The one place that names every service (the CLI is the composition root)."""

from __future__ import annotations

from collections.abc import Callable

from services.accounts.main import definition as accounts
from services.journal.main import definition as journal
from services.notifications.main import definition as notifications
from services.stories.main import definition as stories
from shared.bus.permissions import BusUser, service_user, web_user
from shared.service import ServiceDefinition, consumer_spec
from web.services import FOLLOWED

SERVICES: dict[str, Callable[[], ServiceDefinition]] = {
    "accounts": accounts,
    "journal": journal,
    "stories": stories,
    "notifications": notifications,
}

PROCESSES = (*SERVICES, "web")


def bus_users(prefix: str) -> tuple[BusUser, ...]:
    """The NATS users of every process and what each may do (``shared.bus.permissions``)."""
    users = [web_user(prefix, FOLLOWED)]
    for name, make in SERVICES.items():
        definition = make()
        consumers = [consumer_spec(prefix, name, sub) for sub in definition.subscriptions]
        users.append(service_user(prefix, name, consumers))
    return tuple(users)
