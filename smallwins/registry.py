"""The one place that names every service (the CLI is the composition root)."""

from __future__ import annotations

from collections.abc import Callable

from services.accounts.main import definition as accounts
from services.journal.main import definition as journal
from services.notifications.main import definition as notifications
from services.stories.main import definition as stories
from shared.service import ServiceDefinition

SERVICES: dict[str, Callable[[], ServiceDefinition]] = {
    "accounts": accounts,
    "journal": journal,
    "stories": stories,
    "notifications": notifications,
}
