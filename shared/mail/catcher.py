"""A local SMTP server that keeps what it is sent: ``smallwins up`` runs it when no SMTP server is
configured (each message becomes a ``.eml`` file in ``<data>/mail``, to open in any mail app),
and the tests send to it and read what arrived."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

from aiosmtpd.smtp import SMTP, Envelope, Session

from shared.settings import LOCAL_HOST, Settings

log = logging.getLogger(__name__)
REFUSED = "451 4.3.0 Not now, please try again later"


class Catch:
    """The aiosmtpd handler: every message accepted is kept (and written to ``folder``, if any);
    while ``refusing`` is set, every message is refused with a temporary error."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder
        self.messages: list[EmailMessage] = []
        self.refusing = False

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802 - aiosmtpd's name
        if self.refusing:
            return REFUSED
        raw = envelope.original_content or b""
        message: Any = BytesParser(policy=policy.default).parsebytes(raw)
        self.messages.append(message)
        if self.folder is not None:
            self._write(self.folder, raw)
        return "250 Message accepted for delivery"

    def _write(self, folder: Path, raw: bytes) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
        path = folder / f"{stamp}-{len(self.messages)}.eml"
        path.write_bytes(raw)
        log.info("mail caught", extra={"file": path.name})


async def serve_catcher(settings: Settings, stop: asyncio.Event) -> None:
    """Catch mail on ``127.0.0.1:<smtp_port>`` into ``settings.mail_dir`` until ``stop``."""
    handler = Catch(settings.mail_dir)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SMTP(handler, hostname="localhost"), LOCAL_HOST, settings.smtp_port)
    log.info("mail catcher listening", extra={"port": settings.smtp_port, "folder": str(settings.mail_dir)})
    try:
        await stop.wait()
    finally:
        server.close()
        await server.wait_closed()
