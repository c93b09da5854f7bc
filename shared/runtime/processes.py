"""What the embedded servers need of the machine: free ports, a lock on the data folder, child
processes that are waited for and stopped, and set-up work on a loop of its own."""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
import os
import socket
import subprocess
import threading
import time
from collections.abc import Coroutine
from pathlib import Path
from typing import IO, Any

log = logging.getLogger(__name__)


class RuntimeProblem(RuntimeError):
    """Something outside our code stops the servers from starting; the message says what."""


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


def wait_for_port(port: int, proc: subprocess.Popen[bytes], what: str, logfile: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            tail = logfile.read_text(errors="replace")[-2000:] if logfile.exists() else ""
            raise RuntimeProblem(f"{what} stopped while starting (exit {proc.returncode}):\n{tail}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.1)
    raise RuntimeProblem(f"{what} did not answer on port {port} within 60 s; see {logfile}")


def stop_process(proc: subprocess.Popen[bytes] | None, sig: int, what: str) -> None:
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


def in_thread(coro: Coroutine[Any, Any, None]) -> None:
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
