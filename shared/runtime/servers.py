"""Both embedded servers together, as ``smallwins up`` and the test suite run them: one lock on the
data folder, PostgreSQL then NATS, and ``runtime.json`` telling other commands where they are."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import msgspec

from shared.bus.permissions import OPERATOR, BusUser
from shared.passwords import write_private
from shared.runtime.nats_server import EmbeddedNats
from shared.runtime.postgres import EmbeddedPostgres
from shared.runtime.processes import DataDirLock, require_free_port

log = logging.getLogger(__name__)


class RuntimeInfo(msgspec.Struct, frozen=True, kw_only=True):
    """Written to ``<data>/runtime.json`` while ``smallwins up`` runs, for the other commands."""

    pid: int
    database_url: str
    nats_url: str
    web_url: str = ""


class EmbeddedServers:
    """PostgreSQL and NATS as child processes, data under ``data_dir``.

    NATS admits only ``bus_users`` (and the operator), with passwords generated into the data
    folder's ``secrets/`` (readable by its owner alone); nothing connects without them.
    """

    def __init__(
        self,
        data_dir: Path,
        *,
        postgres_port: int,
        nats_port: int,
        fast_unsafe: bool = False,
        bus_users: tuple[BusUser, ...] = (),
        db_roles: tuple[str, ...] = (),
    ) -> None:
        self.data_dir = data_dir.resolve()
        self.nats = EmbeddedNats(self.data_dir, port=nats_port, bus_users=bus_users)
        self.postgres = EmbeddedPostgres(self.data_dir, port=postgres_port, fast_unsafe=fast_unsafe, db_roles=db_roles)
        self._lock = DataDirLock(self.data_dir)

    @property
    def database_url(self) -> str:
        """The superuser's URL: the operator's (migrations, rebuilds, key rotation)."""
        return self.postgres.database_url

    def database_url_for(self, process: str) -> str:
        """The URL of ``process``'s own login role, which reaches only its own schema."""
        return self.postgres.database_url_for(process)

    @property
    def nats_url(self) -> str:
        """The operator's URL (the command line and the test harness act as the operator)."""
        return self.nats_url_for(OPERATOR)

    def nats_url_for(self, user: str) -> str:
        """The URL, with its credentials, that the process acting as ``user`` connects with."""
        return self.nats.url_for(user)

    def start(self) -> None:
        self._lock.acquire()
        try:
            require_free_port(self.postgres.port, "PostgreSQL", "SMALLWINS_POSTGRES_PORT")
            require_free_port(self.nats.port, "NATS", "SMALLWINS_NATS_PORT")
            self.postgres.start()
            self.nats.start()
        except BaseException:
            self.stop()
            raise

    def restart_postgres(self) -> None:
        """Stop PostgreSQL (fast shutdown: every connection is cut) and start it again."""
        self.postgres.stop()
        self.postgres.start()

    def revive(self) -> list[str]:
        """Start again each server whose process has died; returns the names of those started.

        A start that fails (the old server's processes are still going away) raises
        ``RuntimeProblem``; the caller tries again later.
        """
        revived = []
        if (code := self.postgres.exited()) is not None:
            log.warning("PostgreSQL stopped (exit %s); starting it again", code)
            self.postgres.start()
            revived.append("PostgreSQL")
        if (code := self.nats.exited()) is not None:
            log.warning("NATS stopped (exit %s); starting it again", code)
            self.nats.start()
            revived.append("NATS")
        return revived

    def stop(self) -> None:
        self.nats.stop()
        self.postgres.stop()
        self._lock.release()

    def write_info(self, web_url: str) -> None:
        info = RuntimeInfo(
            pid=os.getpid(), database_url=self.database_url, nats_url=self.nats_url,
            web_url=web_url,
        )  # fmt: skip
        path = self.data_dir / "runtime.json"  # it holds the operator's credentials: its owner's alone
        write_private(path, msgspec.json.encode(info).decode())

    def clear_info(self) -> None:
        (self.data_dir / "runtime.json").unlink(missing_ok=True)


def running_info(data_dir: Path) -> RuntimeInfo | None:
    """The servers of a ``smallwins up`` that is running now on this data folder, if any."""
    path = data_dir / "runtime.json"
    if not path.exists():
        return None
    info = msgspec.json.decode(path.read_bytes(), type=RuntimeInfo)
    try:
        os.kill(info.pid, 0)
    except ProcessLookupError:
        return None
    return info
