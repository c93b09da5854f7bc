"""HTTP under load: signed-in members reading their pages, against Litestar serving a static page.

The whole system runs as separate processes (as `smallwins up` runs it); the load comes from
wrk, another process, on loopback. Adding a page to measure is one line in PAGES.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import asyncpg
import psutil

from bench.report import Figure
from bench.seed import seed
from bench.stories import seed_stories
from shared.runtime import free_port

MEMBERS, ENTRIES_PER_MEMBER, SESSIONS = 10_000, 10, 500
# the static page and every page take turns for ROUNDS rounds; each figure is the median of its
# rounds, so that a burst of noise on this shared machine lands on a baseline as on a page
DURATION_S, CONNECTIONS, ROUNDS = 6, 16, 3
PROCESSES = ("accounts", "journal", "stories", "notifications", "web")

# name, path, who is signed in (None, "member" or "moderator"): one line per page; "{story}" in a
# path becomes a random published story on each request
PAGES = [
    ("home_page", "/", "member"),
    ("journal_page", "/journal", "member"),
    ("progress_page", "/journal/progress", "member"),
    ("feed_page", "/stories", "member"),
    ("story_page", "/stories/{story}", "member"),
    ("queue_page", "/moderation", "moderator"),
]
STATIC = ("static_page", "/help", None)

LUA = """
tokens, stories = {}, {}
for line in io.lines("%s") do tokens[#tokens + 1] = line end
for line in io.lines("%s") do stories[#stories + 1] = line end
request = function()
  local t = tokens[math.random(#tokens)]
  local path = string.gsub("%s", "{story}", stories[math.random(#stories)])
  return wrk.format("GET", path, {["Cookie"] = "sw_session=" .. t})
end
"""


def _wrk(url: str, path: str, tokens: Path | None, stories: Path | None = None) -> tuple[float, float]:
    """(requests/s, p99 ms) over DURATION_S with CONNECTIONS connections."""
    wrk = shutil.which("wrk")
    if wrk is None:
        raise RuntimeError("wrk is missing: `make bench` installs Debian's wrk package")
    target = f"{url}/" if tokens is not None else f"{url}{path}"  # with a script, it makes each request's path
    args = [wrk, "-t2", f"-c{CONNECTIONS}", f"-d{DURATION_S}s", "--latency", target]
    if tokens is not None:
        script = tokens.with_suffix(".lua")
        script.write_text(LUA % (tokens, stories, path))
        args[1:1] = ["-s", str(script)]
    return run_wrk(args, path)


def run_wrk(args: list[str], path: str) -> tuple[float, float]:
    """Runs wrk with ``args`` and returns its (requests/s, p99 ms); any failed response fails the run."""
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", out)
    assert p99 is not None, out
    value = float(p99.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non2xx:
        raise RuntimeError(f"{path}: {non2xx.group(1)} failed responses under load:\n{out}")
    return rps, value


class _Peaks:
    """Samples the resident memory of each process while the load runs."""

    def __init__(self, pids: dict[str, int]) -> None:
        self.procs = {name: psutil.Process(pid) for name, pid in pids.items()}
        self.peak = dict.fromkeys(pids, 0.0)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            for name, proc in self.procs.items():
                rss = proc.memory_info().rss + sum(c.memory_info().rss for c in proc.children(recursive=True))
                self.peak[name] = max(self.peak[name], rss / 2**20)

    def __enter__(self) -> _Peaks:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


def _start(
    database_url: str, nats_url: str, port: int, secret: str, prefix: str = "pagebench"
) -> dict[str, subprocess.Popen[bytes]]:
    env = {
        **os.environ, "SMALLWINS_DATABASE_URL": database_url, "SMALLWINS_NATS_URL": nats_url,
        "SMALLWINS_SECRET_KEY": secret, "SMALLWINS_NATS_PREFIX": prefix, "SMALLWINS_HTTP_PORT": str(port),
        "SMALLWINS_LOG_LEVEL": "WARNING",
    }  # fmt: skip
    return {
        name: subprocess.Popen([sys.executable, "-m", "smallwins", "serve", name], env=env, stderr=subprocess.DEVNULL)
        for name in PROCESSES
    }


def _wait_ready(url: str) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/health/ready", timeout=2) as resp:  # noqa: S310
                if resp.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError("the system did not become ready")


async def _migrate(database_url: str) -> None:
    from shared.settings import Settings
    from smallwins.commands import _migrate_all

    await _migrate_all(Settings(database_url=database_url, nats_url="nats://unused"))


async def _people_known(database_url: str, members: int = MEMBERS) -> None:
    conn = await asyncpg.connect(database_url)
    try:
        while await conn.fetchval("SELECT count(*) FROM journal.people") < members:
            await asyncio.sleep(0.5)
    finally:
        await conn.close()


async def page_figures(database_url: str, nats_url: str) -> list[Figure]:
    secret = "benchmark-secret"
    await _migrate(database_url)
    tokens = await seed(database_url, secret, MEMBERS, ENTRIES_PER_MEMBER, SESSIONS)
    stories, moderators = await seed_stories(database_url, tokens)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    procs = _start(database_url, nats_url, port, secret)
    figures: list[Figure] = []
    try:
        await asyncio.to_thread(_wait_ready, url)
        await asyncio.wait_for(_people_known(database_url), 300)
        with tempfile.TemporaryDirectory() as tmp:
            files = {"member": Path(tmp) / "members.txt", "moderator": Path(tmp) / "moderators.txt"}
            files["member"].write_text("\n".join(tokens[len(moderators) :]))
            files["moderator"].write_text("\n".join(moderators))
            story_file = Path(tmp) / "stories.txt"
            story_file.write_text("\n".join(str(s) for s in stories[:5000]))
            runs: dict[str, list[tuple[float, float]]] = {}
            with _Peaks({n: p.pid for n, p in procs.items()}) as peaks:
                for _ in range(ROUNDS):
                    for name, path, who in (STATIC, *PAGES):
                        signed_in = files[who] if who else None
                        run = await asyncio.to_thread(_wrk, url, path, signed_in, story_file)
                        runs.setdefault(name, []).append(run)
            static_rps = statistics.median(rps for rps, _ in runs[STATIC[0]])
            for name, _, _ in PAGES:
                figures.append(
                    Figure(
                        name=f"{name}_rps",
                        value=statistics.median(rps for rps, _ in runs[name]),
                        unit="requests/s",
                        baseline="static_page_rps",
                        baseline_value=static_rps,
                    )
                )
                p99 = statistics.median(ms for _, ms in runs[name])
                figures.append(Figure(name=f"{name}_p99_ms", value=p99, unit="ms"))
            figures.append(Figure(name="static_page_rps", value=static_rps, unit="requests/s"))
            figures += [Figure(name=f"peak_rss_mb_{n}", value=mb, unit="MiB") for n, mb in peaks.peak.items()]
    finally:
        for proc in procs.values():
            proc.terminate()
        for proc in procs.values():
            proc.wait(20)
    return figures
