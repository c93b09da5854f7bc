from __future__ import annotations

import datetime as dt
from typing import Annotated
from uuid import UUID

import msgspec

from shared.contracts.common import Acted, Empty, text
from shared.contracts.erasure import MEMBER_ERASED
from shared.contracts.verbs import Verb

SERVICE = "accounts"

# The limits of what accounts accepts, named once: the wire types below, the HTTP schemas, the
# domain's messages and the sign-up page all take them from here.
PSEUDONYM_MIN, PSEUDONYM_MAX = 2, 32
EMAIL_MAX = 254
PASSWORD_MIN, PASSWORD_MAX = 10, 1024
TOKEN_MAX = 128
TIME_ZONE_MAX = 64
Pseudonym = Annotated[str, text(PSEUDONYM_MAX)]
Email = Annotated[str, text(EMAIL_MAX)]
Password = Annotated[str, text(PASSWORD_MAX)]
Token = Annotated[str, msgspec.Meta(max_length=TOKEN_MAX)]

# The accounts events other processes follow, named here once (tests/unit/accounts/test_followed_events.py
# ties them to the service's registry).
MEMBER_REGISTERED = "accounts.member_registered.v1"
"""A member joined: the journal, stories and notifications keep who is who."""


class MemberJoined(msgspec.Struct, frozen=True, kw_only=True):
    """What another service may read of ``MEMBER_REGISTERED``: who joined and when (events from
    before ``registered_at`` was published lack it). ``pseudonym`` is "" in events written since
    names left the wire (docs/adr/0034-erasure.md): ask ``PSEUDONYM`` for it; older events hold it."""

    member_id: UUID
    pseudonym: str = ""
    registered_at: dt.datetime | None = None


TIME_ZONE_SET = "accounts.time_zone_set.v1"
"""A member chose their time zone: notifications keeps it for quiet hours, digests and reminders."""


class ZoneChosen(msgspec.Struct, frozen=True, kw_only=True):
    member_id: UUID
    time_zone: str


ERASURE_REQUESTED = "accounts.erasure_requested.v1"
"""A member asked to be erased: every session of theirs ends, and the account is locked until the
erasure is due (docs/adr/0034-erasure.md). Ids and times only."""

SESSION_CHANGING_EVENTS = (
    "accounts.session_ended.v1", "accounts.role_granted.v1", "accounts.time_zone_set.v1", ERASURE_REQUESTED,
    MEMBER_ERASED,
)  # fmt: skip
"""After any of these, what web keeps of a member's sessions (who holds a token, with which roles)
may be wrong, and web drops it; each carries the ``member_id``."""


class RegisterRequest(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    pseudonym: Pseudonym
    email: Email
    password: Password


class SignInRequest(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    email: Email
    password: Password
    client_ip: str = ""


class TokenRequest(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    token: Token


class GrantRoleRequest(Acted, frozen=True, kw_only=True):
    """Only an admin (or the operator's command line) may grant a role."""

    pseudonym: Pseudonym
    role: str


class MemberView(msgspec.Struct, frozen=True, kw_only=True):
    member_id: UUID
    pseudonym: str
    roles: tuple[str, ...]
    time_zone: str = ""  # the IANA name the member chose in their settings ("" until they do)


class SessionIssued(msgspec.Struct, frozen=True, kw_only=True):
    """A new session; or, for an account set to be erased (``erasure_due``), none: ``token`` is ""
    and ``keep_token`` lets the person who just gave the right password keep their account
    (``KEEP_ACCOUNT``), once, for a short while."""

    token: str
    expires_at: dt.datetime
    member: MemberView
    erasure_due: dt.datetime | None = None
    keep_token: str = ""


TimeZone = Annotated[str, msgspec.Meta(max_length=TIME_ZONE_MAX)]
LinkToken = Annotated[str, msgspec.Meta(max_length=TOKEN_MAX)]


class AccountRequest(Acted, frozen=True, kw_only=True):
    """The signed-in member's own account (settings)."""


class AccountView(msgspec.Struct, frozen=True, kw_only=True):
    member_id: UUID
    pseudonym: str
    email: str
    email_confirmed: bool
    pending_email: str = ""  # a new address waiting for its confirmation link to be followed
    time_zone: str = ""


class ChangeEmailRequest(Acted, frozen=True, kw_only=True):
    new_email: Email
    current_password: Password


class ChangePasswordRequest(Acted, frozen=True, kw_only=True):
    current_password: Password
    new_password: Password
    current_token: Token = ""  # the session to keep (every other one of the member's ends)


class TimeZoneRequest(Acted, frozen=True, kw_only=True):
    time_zone: TimeZone


class ResendConfirmationRequest(Acted, frozen=True, kw_only=True):
    """Send the confirmation link to the member's unconfirmed address again."""


class ForgotPasswordRequest(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    email: Email


class LinkRequest(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A link from a mail: its token (only its hash is ever stored)."""

    token: LinkToken


class ResetPasswordRequest(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    token: LinkToken
    new_password: Password


class LinkFollowed(msgspec.Struct, frozen=True, kw_only=True):
    """What a followed link did: ``confirmed`` an address or ``changed`` to a new one."""

    done: str


class MailAddressRequest(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    member_id: UUID


class MailAddressView(msgspec.Struct, frozen=True, kw_only=True):
    """The member's confirmed address, or None (unconfirmed, erased or no such member)."""

    member_id: UUID
    email: str | None = None


class PseudonymRequest(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    member_id: UUID


class PseudonymView(msgspec.Struct, frozen=True, kw_only=True):
    """The member's pseudonym, or None (erased, or no such member): pseudonyms do not travel in
    events (docs/adr/0034-erasure.md), so a service that shows who did something asks for it."""

    member_id: UUID
    pseudonym: str | None = None


ERASURE_NONE, ERASURE_SCHEDULED, ERASURE_ERASED = "none", "scheduled", "erased"


class ErasureRequest(Acted, frozen=True, kw_only=True):
    """Erase my account, after the grace period; the password is asked again."""

    password: Password


class ErasureStateRequest(Acted, frozen=True, kw_only=True):
    """Whether the signed-in member's account is set to be erased."""


class ErasureView(msgspec.Struct, frozen=True, kw_only=True):
    """An account's erasure: ``none``, ``scheduled`` (until ``due_at``; signing in offers to keep
    the account until then) or ``erased``."""

    member_id: UUID
    state: str = ERASURE_NONE
    requested_at: dt.datetime | None = None
    due_at: dt.datetime | None = None
    erased_at: dt.datetime | None = None


class KeepAccountRequest(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Cancel a scheduled erasure and sign in: ``token`` is the ``keep_token`` of a sign-in."""

    token: LinkToken
    client_ip: str = ""


class EraseNowRequest(Acted, frozen=True, kw_only=True):
    """The operator erases a member at once, without a grace period (an administrator only)."""

    pseudonym: Pseudonym


class ErasedView(msgspec.Struct, frozen=True, kw_only=True):
    member_id: UUID
    pseudonym: str
    erased_at: dt.datetime
    already: bool = False  # erased before this request: nothing was changed


# The accounts service's verbs: served by services/accounts/endpoints.py, asked by web and the CLI.
REGISTER = Verb(SERVICE, "register", RegisterRequest, MemberView)
SIGN_IN = Verb(SERVICE, "sign_in", SignInRequest, SessionIssued)
SIGN_OUT = Verb(SERVICE, "sign_out", TokenRequest, Empty)
SESSION = Verb(SERVICE, "session", TokenRequest, MemberView)
GRANT_ROLE = Verb(SERVICE, "grant_role", GrantRoleRequest, MemberView)
ACCOUNT = Verb(SERVICE, "account", AccountRequest, AccountView)
CHANGE_EMAIL = Verb(SERVICE, "change_email", ChangeEmailRequest, AccountView)
CHANGE_PASSWORD = Verb(SERVICE, "change_password", ChangePasswordRequest, Empty)
SET_TIME_ZONE = Verb(SERVICE, "set_time_zone", TimeZoneRequest, AccountView)
RESEND_CONFIRMATION = Verb(SERVICE, "resend_confirmation", ResendConfirmationRequest, Empty)
FOLLOW_LINK = Verb(SERVICE, "follow_link", LinkRequest, LinkFollowed)
FORGOT_PASSWORD = Verb(SERVICE, "forgot_password", ForgotPasswordRequest, Empty)
CHECK_RESET_LINK = Verb(SERVICE, "check_reset_link", LinkRequest, Empty)
RESET_PASSWORD = Verb(SERVICE, "reset_password", ResetPasswordRequest, Empty)
MAIL_ADDRESS = Verb(SERVICE, "mail_address", MailAddressRequest, MailAddressView, callers=("notifications",))
"""Served to the notifications service only: the bus refuses it to web and every other service."""
REQUEST_ERASURE = Verb(SERVICE, "request_erasure", ErasureRequest, ErasureView)
ERASURE = Verb(SERVICE, "erasure", ErasureStateRequest, ErasureView)
KEEP_ACCOUNT = Verb(SERVICE, "keep_account", KeepAccountRequest, SessionIssued)
ERASE_NOW = Verb(SERVICE, "erase_now", EraseNowRequest, ErasedView)
PSEUDONYM = Verb(SERVICE, "pseudonym", PseudonymRequest, PseudonymView, callers=("journal", "stories", "notifications"))
"""Served to the services that show who did something; the bus refuses it to web."""
