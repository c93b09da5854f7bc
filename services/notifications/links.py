"""One-click unsubscribe links (RFC 8058): signed with the secret key, naming a member and what
they stop getting, so the link works without signing in and nothing in it can be changed."""

from __future__ import annotations

import base64
import hashlib
import hmac
from uuid import UUID

PATH = "/unsubscribe"


def signature(secret: str, member_id: UUID, topic: str) -> str:
    mac = hmac.new(secret.encode(), f"unsubscribe:{member_id}:{topic}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).decode().rstrip("=")


def signed(secret: str, member_id: UUID, topic: str, signature_given: str) -> bool:
    return hmac.compare_digest(signature(secret, member_id, topic), signature_given)


def unsubscribe_url(base_url: str, secret: str, member_id: UUID, topic: str) -> str:
    return f"{base_url.rstrip('/')}{PATH}/{member_id}/{topic}/{signature(secret, member_id, topic)}"
