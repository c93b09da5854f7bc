"""The one place that names every service (the CLI is the composition root)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from services.accounts import main as accounts
from services.journal import main as journal
from services.notifications import main as notifications
from services.stories import main as stories
from shared.bus.permissions import BusUser, authorization, operator_user, service_user, web_user
from shared.contracts import accounts as accounts_verbs
from shared.contracts import journal as journal_verbs
from shared.contracts import moderation as moderation_verbs
from shared.contracts import notifications as notifications_verbs
from shared.contracts import stories as stories_verbs
from shared.contracts import stories_export as stories_export_verbs
from shared.contracts import supporters as supporters_verbs
from shared.contracts.verbs import Verb
from shared.service import ServiceDefinition, consumer_spec
from shared.settings import Settings
from web.services import FOLLOWED, FOLLOWED_EVENTS

SERVICES: dict[str, ServiceDefinition] = {
    "accounts": accounts.SERVICE,
    "journal": journal.SERVICE,
    "stories": stories.SERVICE,
    "notifications": notifications.SERVICE,
}
RUN_SERVICE: dict[str, Callable[[Settings], None]] = {
    "accounts": accounts.run_service,
    "journal": journal.run_service,
    "stories": stories.run_service,
    "notifications": notifications.run_service,
}  # each service's own main.py serves it in this process

PROCESSES = (*SERVICES, "web")


DEPLOYED_NATS = """# A single NATS server with JetStream on file storage (docker-compose.yml), closed: only these
# users connect, each with the permissions its process needs (docs/adr/0020-a-closed-bus.md).
# Made by `smallwins bus-config` for the prefix sw; every password comes from the environment.
port: 4222
http_port: 8222
server_name: smallwins-nats-1

jetstream {
  store_dir: /data
  max_file_store: 10G
}

"""


def deployed_nats_config(prefix: str) -> str:
    """infra/nats/nats.conf for ``prefix``: the users of every process, passwords from the environment."""
    return DEPLOYED_NATS.replace("prefix sw", f"prefix {prefix}") + authorization((operator_user(), *bus_users(prefix)))


VERBS: tuple[Verb[Any, Any], ...] = tuple(
    verb
    for contract in (
        accounts_verbs,
        journal_verbs,
        supporters_verbs,
        stories_verbs,
        stories_export_verbs,
        moderation_verbs,
        notifications_verbs,
    )
    for verb in vars(contract).values()
    if isinstance(verb, Verb)
)
"""Every verb of every contract; those with ``callers`` are served to those services only."""


def bus_users(prefix: str) -> tuple[BusUser, ...]:
    """The NATS users of every process and what each may do (``shared.bus.permissions``)."""
    for_services = [verb for verb in VERBS if verb.callers is not None]
    users = [web_user(prefix, FOLLOWED, FOLLOWED_EVENTS, not_asked=for_services)]
    for name, definition in SERVICES.items():
        consumers = [consumer_spec(prefix, name, sub) for sub in definition.subscriptions]
        asks = [verb for verb in for_services if name in (verb.callers or ())]
        users.append(service_user(prefix, name, consumers, asks))
    return tuple(users)
