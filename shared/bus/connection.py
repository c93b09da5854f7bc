"""Opening a NATS connection with sensible reconnect settings."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

import nats
from nats.aio.client import Client

from shared.bus.permissions import inbox_prefix

log = logging.getLogger(__name__)


async def connect(url: str, name: str) -> Client:
    """Connect with the credentials in ``url``; replies come under the user's own inbox prefix,
    which no other user may subscribe to."""

    async def on_error(exc: Exception) -> None:
        log.warning("nats error: %s", exc)

    user = urlsplit(url.split(",")[0]).username
    return await nats.connect(
        url,
        name=name,
        max_reconnect_attempts=-1,
        reconnect_time_wait=0.5,
        error_cb=on_error,
        connect_timeout=5,
        inbox_prefix=inbox_prefix(user) if user else "_INBOX",
    )
