"""A very small client of ``GET /inbox/live``, light enough to hold ten thousand streams in one
process: raw asyncio streams, one task per stream, no HTTP library. It notes when each event id
(an inbox position) arrives; it reads lines, so the chunk-size lines of the chunked body are
simply not ``id:`` lines and are skipped."""

from __future__ import annotations

import asyncio
import contextlib
import resource
import time


def raise_open_files(wanted: int) -> int:
    """Raise this process's soft limit of open files towards ``wanted`` (at most the hard limit);
    processes started afterwards inherit it. Returns the limit now in force."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    limit = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if limit > soft:
        resource.setrlimit(resource.RLIMIT_NOFILE, (limit, hard))
        soft = limit
    return soft


class LiveStream:
    """One member's open live inbox: the first position it was sent, and when each later one came."""

    def __init__(self, token: str) -> None:
        self.token = token
        self.first = -1  # the position of the stream's first event (where the inbox was on opening)
        self.arrived: dict[int, float] = {}  # later position -> perf_counter() when its event arrived
        self._writer: asyncio.StreamWriter | None = None
        self._task: asyncio.Task[None] | None = None

    async def open(self, host: str, port: int) -> None:
        """Connect, send the request and wait for the stream's first event."""
        reader, self._writer = await asyncio.open_connection(host, port)
        self._writer.write(
            f"GET /inbox/live HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: text/event-stream\r\n"
            f"Cookie: sw_session={self.token}\r\n\r\n".encode()
        )
        status = await reader.readline()
        if b" 200 " not in status:
            raise RuntimeError(f"the live inbox answered {status!r}")
        while (await reader.readline()).strip():
            pass  # the response headers
        self.first = await self._next_id(reader)
        self._task = asyncio.create_task(self._follow(reader))

    @staticmethod
    async def _next_id(reader: asyncio.StreamReader) -> int:
        while line := await reader.readline():
            if line.startswith(b"id:"):
                return int(line[3:])
        raise ConnectionError("the live inbox closed the stream")

    async def _follow(self, reader: asyncio.StreamReader) -> None:
        with contextlib.suppress(ConnectionError):
            while True:
                position = await self._next_id(reader)
                self.arrived.setdefault(position, time.perf_counter())

    @property
    def open_now(self) -> bool:
        return self._task is not None and not self._task.done()

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._writer is not None:
            self._writer.close()
            with contextlib.suppress(OSError):
                await self._writer.wait_closed()


async def open_all(streams: list[LiveStream], host: str, port: int, at_once: int = 100) -> int:
    """Opens the streams, ``at_once`` at a time; returns how many opened (stops at the first
    failure, which is where this machine's limits are)."""
    opened = 0
    for start in range(0, len(streams), at_once):
        batch = streams[start : start + at_once]
        results = await asyncio.gather(*(s.open(host, port) for s in batch), return_exceptions=True)
        failed = [r for r in results if isinstance(r, BaseException)]
        opened += len(batch) - len(failed)
        if failed:
            print(f"live inbox: {opened} streams open, then {failed[0]!r}")
            return opened
    return opened
