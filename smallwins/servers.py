"""Finding the PostgreSQL and NATS servers a command should use."""

from __future__ import annotations

import contextlib
import getpass
import os
import secrets
import uuid
from collections.abc import Iterator
from pathlib import Path

from shared.contracts.common import ADMIN, Acting
from shared.runtime import EmbeddedServers, running_info
from shared.settings import Settings
from smallwins.registry import PROCESSES, bus_users

OPERATORS = uuid.UUID("5e7c1a2b-0000-4000-8000-00000000a0a0")


def operator() -> Acting:
    """The command line acts as a named operator (the system user running it), with the admin role."""
    name = getpass.getuser()
    return Acting(member_id=uuid.uuid5(OPERATORS, name), pseudonym=f"operator {name}", roles=(ADMIN,))


def secret_key(settings: Settings) -> str:
    """The configured secret, or one kept in the data folder for the embedded setup."""
    if settings.secret_key:
        return settings.secret_key
    path = settings.data_dir / "secret.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(48))
    return path.read_text().strip()


@contextlib.contextmanager
def servers(settings: Settings) -> Iterator[tuple[Settings, EmbeddedServers | None]]:
    """Settings with both server URLs filled in.

    Uses ``SMALLWINS_DATABASE_URL`` / ``SMALLWINS_NATS_URL`` when set; otherwise the servers of
    a ``smallwins up`` running on the same data folder; otherwise starts the embedded ones for
    the duration of the block.
    """
    settings = settings.with_(secret_key=secret_key(settings))
    if settings.database_url and settings.nats_url:
        yield settings, None
        return
    info = running_info(settings.data_dir)
    if info is not None:
        yield settings.with_(database_url=info.database_url, nats_url=info.nats_url), None
        return
    embedded = EmbeddedServers(
        Path(settings.data_dir), postgres_port=settings.postgres_port, nats_port=settings.nats_port,
        bus_users=bus_users(settings.nats_prefix), db_roles=PROCESSES,
    )  # fmt: skip
    embedded.start()
    try:
        yield (
            settings.with_(
                database_url=settings.database_url or embedded.database_url,
                nats_url=settings.nats_url or embedded.nats_url,
            ),
            embedded,
        )
    finally:
        embedded.stop()


def child_env(settings: Settings, process: str, embedded: EmbeddedServers | None) -> dict[str, str]:
    """The environment of one process of ``smallwins up``: the embedded servers' URLs carry that
    process's own credentials (only its owner can read a process's environment)."""
    env = dict(os.environ)
    env.update(
        SMALLWINS_DATABASE_URL=embedded.database_url_for(process) if embedded else settings.database_url or "",
        SMALLWINS_NATS_URL=embedded.nats_url_for(process) if embedded else settings.nats_url or "",
        SMALLWINS_SECRET_KEY=settings.secret_key,
        SMALLWINS_NATS_PREFIX=settings.nats_prefix,
        SMALLWINS_DATA_DIR=str(settings.data_dir),
        SMALLWINS_HTTP_HOST=settings.http_host,
        SMALLWINS_HTTP_PORT=str(settings.http_port),
        SMALLWINS_SMTP_PORT=str(settings.smtp_port),
    )
    return env


def mail_note(settings: Settings) -> str:
    """Where the mail goes, for what `smallwins up` prints once it is running."""
    if not settings.mail_catcher:
        host, port = settings.smtp_server
        return f"Mail goes out through {host}:{port}.\n"
    return (
        f"Mail is not sent out: it is caught on port {settings.smtp_port} and kept in {settings.mail_dir.resolve()}"
        " (one .eml file per message; open it in any mail app or text editor).\n"
    )
