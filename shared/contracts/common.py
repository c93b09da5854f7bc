from __future__ import annotations

import msgspec

NO_NUL = "^[^\\x00]*$"
"""Text may hold any character but NUL, which PostgreSQL cannot store."""


class Empty(msgspec.Struct, frozen=True, kw_only=True):
    """A request or reply with no fields."""


class HealthView(msgspec.Struct, frozen=True, kw_only=True):
    service: str
    ok: bool
    postgres: bool
    relay: str  # "leader", "standby" or "stopped"
    consumers: dict[str, bool] = {}
