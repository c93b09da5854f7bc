"""The accounts service on NATS: verb -> handler."""

from __future__ import annotations

from services.accounts.handlers import AccountsHandlers
from shared.bus.rpc import Route, serves
from shared.contracts import accounts as c


def routes(handlers: AccountsHandlers) -> dict[str, Route]:
    return dict(
        [
            serves(c.REGISTER, handlers.register),
            serves(c.SIGN_IN, handlers.sign_in),
            serves(c.SIGN_OUT, handlers.sign_out),
            serves(c.SESSION, handlers.session),
            serves(c.GRANT_ROLE, handlers.grant_role),
        ]
    )
