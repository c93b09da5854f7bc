"""The accounts handlers with a clock the test sets, their outbox, and a sender to the test's SMTP server."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import asyncpg
from argon2 import PasswordHasher

from services.accounts.account import AccountHandlers
from services.accounts.events import REGISTRY
from services.accounts.handlers import AccountsHandlers
from services.accounts.mailing import AccountMail
from services.accounts.recovery import RecoveryHandlers
from shared.bus.rpc import CallContext
from shared.eventstore.store import EventStore
from shared.mail import MailSender, Outbox, SmtpTransport
from shared.settings import Settings
from shared.testing.plugin import MailBox

CTX = CallContext(correlation_id="test")
PASSWORD = "a fine long password"
BASE = "http://sw.test"
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


@dataclass
class Mailroom:
    accounts: AccountsHandlers
    account: AccountHandlers
    recovery: RecoveryHandlers
    sender: MailSender
    box: MailBox
    clock: Clock

    async def deliver(self) -> int:
        return await self.sender.run_due()

    def link(self, address: str, path: str) -> str:
        """The token of the newest link to ``path`` (e.g. "/confirm/") in mail to ``address``."""
        for message in reversed(self.box.to(address)):
            found = re.search(re.escape(BASE + path) + r"([A-Za-z0-9_\-]+)", self.box.text(message))
            if found:
                return found.group(1)
        raise AssertionError(f"no {path} link in mail to {address}")

    def subjects(self, address: str) -> list[str]:
        return [str(m["Subject"]) for m in self.box.to(address)]


def mailroom(pool: asyncpg.Pool, settings: Settings, box: MailBox) -> Mailroom:
    clock = Clock()
    hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    mail = AccountMail(Outbox("accounts", settings.mail_from), BASE)
    store = EventStore("accounts", REGISTRY)
    made = {"secret_key": "s", "hasher": hasher, "mail": mail, "clock": clock}
    return Mailroom(
        accounts=AccountsHandlers(pool, store, **made),  # type: ignore[arg-type]
        account=AccountHandlers(pool, store, **made),  # type: ignore[arg-type]
        recovery=RecoveryHandlers(pool, store, **made),  # type: ignore[arg-type]
        sender=MailSender(pool, mail.outbox, SmtpTransport(settings), clock),
        box=box,
        clock=clock,
    )
