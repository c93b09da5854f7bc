"""Running one long-lived process: on uvloop where it is installed, until SIGINT or SIGTERM."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Awaitable, Callable


def stop_on_signals(stop: asyncio.Event) -> None:
    """SIGINT and SIGTERM set ``stop`` (the process then shuts down in order) instead of killing it."""
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)


def loop_factory() -> Callable[[], asyncio.AbstractEventLoop] | None:
    """uvloop where it is installed (every page serves more requests; BENCHMARKS.md), else asyncio's."""
    try:
        import uvloop
    except ImportError:  # pragma: no cover - uvloop is a locked dependency except on Windows
        return None
    return uvloop.new_event_loop


def run_until_signalled(main: Callable[[asyncio.Event], Awaitable[None]]) -> None:
    """Run ``main(stop)`` to its end on a loop of its own; SIGINT and SIGTERM set ``stop``."""

    async def signalled() -> None:
        stop = asyncio.Event()
        stop_on_signals(stop)
        await main(stop)

    with asyncio.Runner(loop_factory=loop_factory()) as runner:
        runner.run(signalled())
