"""The accounts service on NATS: verb -> handler."""

from __future__ import annotations

from services.accounts.account import AccountHandlers
from services.accounts.erasure import ErasureHandlers
from services.accounts.handlers import AccountsHandlers
from services.accounts.recovery import RecoveryHandlers
from shared.bus.rpc import Route, serves
from shared.contracts import accounts as c


def routes(
    handlers: AccountsHandlers, account: AccountHandlers, recovery: RecoveryHandlers, erasure: ErasureHandlers
) -> dict[str, Route]:
    return dict(
        [
            serves(c.REGISTER, handlers.register),
            serves(c.SIGN_IN, handlers.sign_in),
            serves(c.SIGN_OUT, handlers.sign_out),
            serves(c.SESSION, handlers.session),
            serves(c.GRANT_ROLE, handlers.grant_role),
            serves(c.ACCOUNT, account.account),
            serves(c.CHANGE_EMAIL, account.change_email),
            serves(c.CHANGE_PASSWORD, account.change_password),
            serves(c.SET_TIME_ZONE, account.set_time_zone),
            serves(c.RESEND_CONFIRMATION, account.resend_confirmation),
            serves(c.FOLLOW_LINK, recovery.follow_link),
            serves(c.FORGOT_PASSWORD, recovery.forgot_password),
            serves(c.CHECK_RESET_LINK, recovery.check_reset_link),
            serves(c.RESET_PASSWORD, recovery.reset_password),
            serves(c.MAIL_ADDRESS, recovery.mail_address),
            serves(c.PSEUDONYM, recovery.pseudonym),
            serves(c.REQUEST_ERASURE, erasure.request_erasure),
            serves(c.ERASURE, erasure.erasure),
            serves(c.KEEP_ACCOUNT, erasure.keep_account),
            serves(c.ERASE_NOW, erasure.erase_now),
        ]
    )
