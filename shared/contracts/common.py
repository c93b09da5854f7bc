from __future__ import annotations

from uuid import UUID

import msgspec

PLAIN_TEXT = "^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f\\ufffe\\uffff]*$"
"""Text may hold tab, newline and carriage return but no other control character (C0, DEL, C1),
nor U+FFFE/U+FFFF: PostgreSQL cannot store NUL, and XML (the Atom feed) allows none of them.
Every text limit on the wire and over HTTP uses this one pattern; OpenAPI shows it."""


VERSION_MAX = 1_000_000_000
"""The highest stream version an edit may name (an expected version is checked by the event store)."""


def text(max_length: int, *, min_length: int = 0) -> msgspec.Meta:
    """A text limit: at most ``max_length`` characters of plain text. Each service's contract
    names its limits once (``shared.contracts.<service>``); the wire types, the HTTP schemas, the
    domain's friendly messages and the pages' ``maxlength`` all take the number from there."""
    return msgspec.Meta(min_length=min_length, max_length=max_length, pattern=PLAIN_TEXT)


class Empty(msgspec.Struct, frozen=True, kw_only=True):
    """A request or reply with no fields."""


class HealthView(msgspec.Struct, frozen=True, kw_only=True):
    service: str
    ok: bool
    postgres: bool
    relay: str  # "leader", "standby" or "stopped"
    consumers: dict[str, bool] = {}


ACTOR_HEADER = "Sw-Actor"
"""The NATS header that names who acts. Only web and the operator's command line may send
requests to service verbs (docs/adr/0019-the-actor-travels-in-a-header.md), so only they can set it."""

NOBODY = UUID(int=0)
ADMIN = "admin"


class Acting(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Who acts, as the edge vouches for it: a member's id, pseudonym and the roles accounts gave them."""

    member_id: UUID
    pseudonym: str = ""
    roles: tuple[str, ...] = ()
    tz: str = "UTC"


class Acted(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A request made by a signed-in member.

    Its actor fields are never taken from the payload: the service's endpoint fills them from the
    actor header (``shared.bus.rpc``) and refuses a payload that names them.
    """

    actor_id: UUID = NOBODY
    actor_name: str = ""
    roles: tuple[str, ...] = ()
    tz: str = "UTC"


class MaybeActed(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A request that a member or, where the operator allows it, a visitor may make."""

    actor_id: UUID | None = None
    actor_name: str = ""
    roles: tuple[str, ...] = ()
    tz: str = "UTC"
