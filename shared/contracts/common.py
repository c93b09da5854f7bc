from __future__ import annotations

import msgspec

PLAIN_TEXT = "^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f\\ufffe\\uffff]*$"
"""Text may hold tab, newline and carriage return but no other control character (C0, DEL, C1),
nor U+FFFE/U+FFFF: PostgreSQL cannot store NUL, and XML (the Atom feed) allows none of them.
Every text limit on the wire and over HTTP uses this one pattern; OpenAPI shows it."""
NO_NUL = PLAIN_TEXT  # the earlier name, until every user says PLAIN_TEXT


class Empty(msgspec.Struct, frozen=True, kw_only=True):
    """A request or reply with no fields."""


class HealthView(msgspec.Struct, frozen=True, kw_only=True):
    service: str
    ok: bool
    postgres: bool
    relay: str  # "leader", "standby" or "stopped"
    consumers: dict[str, bool] = {}
