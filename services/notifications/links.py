"""One-click unsubscribe links (RFC 8058): signed with the secret key, naming a member and what
they stop getting, so the link works without signing in and nothing in it can be changed.

A link names kinds (or the digest, or the reminders). Links sent before kinds named a topic and
were signed over other words; they still work, and stop every kind their topic is now."""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Literal
from uuid import UUID

PATH = "/unsubscribe"
Era = Literal["kinds", "topics"]
_SIGNED_OVER: dict[Era, str] = {"kinds": "unsubscribe-kinds", "topics": "unsubscribe"}


def signature(secret: str, member_id: UUID, what: str, era: Era = "kinds") -> str:
    message = f"{_SIGNED_OVER[era]}:{member_id}:{what}".encode()
    mac = hmac.new(secret.encode(), message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).decode().rstrip("=")


def signed_in_era(secret: str, member_id: UUID, what: str, signature_given: str) -> Era | None:
    """Which links ``signature_given`` signs ``what`` for (a link of today, or one naming a topic
    from before kinds), or None for a link that was changed."""
    for era in _SIGNED_OVER:
        if hmac.compare_digest(signature(secret, member_id, what, era), signature_given):
            return era
    return None


def unsubscribe_url(base_url: str, secret: str, member_id: UUID, what: str) -> str:
    return f"{base_url.rstrip('/')}{PATH}/{member_id}/{what}/{signature(secret, member_id, what)}"
