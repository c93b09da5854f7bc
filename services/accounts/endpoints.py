"""The accounts service on NATS: verb -> handler."""

from __future__ import annotations

from services.accounts.handlers import AccountsHandlers
from shared.bus.rpc import Route, route
from shared.contracts.accounts import GrantRoleRequest, RegisterRequest, SignInRequest, TokenRequest


def routes(handlers: AccountsHandlers) -> dict[str, Route]:
    return {
        "register": route(RegisterRequest, handlers.register),
        "sign_in": route(SignInRequest, handlers.sign_in),
        "sign_out": route(TokenRequest, handlers.sign_out),
        "session": route(TokenRequest, handlers.session),
        "grant_role": route(GrantRoleRequest, handlers.grant_role),
    }
