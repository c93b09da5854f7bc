"""Growth: does a page cost the same with more data? `python -m bench growth` (also in `make bench`).

* The journal page (``/journal``), the progress page (``/journal/progress``) and the timeline
  (``GET /api/journal/``, the same page as JSON) of one journal with 100, 1,000 and 10,000 entries,
  each read by its owner.
* The feed (``/stories``) and the moderation queue (``/moderation``) with today's seeded stories
  (``bench/stories.py``: 100,000 published, 10,000 waiting, 1,000,000 encouragements) and with
  ten times as much.

Seeding. The journals go through the journal service's own event store and projections
(``bench/seed.py``: ``JournalStarted`` and one ``EntryRecorded`` per entry, each appended to its
stream and projected inline in the seeding transaction, the events and read models a command
handler writes, without HTTP); their entries are spread over 90 days, as for the page benchmark.
The stories are written straight into the stories service's read models (``bench/stories.py``,
text sealed with each author's key), the fast bulk path the page benchmark uses; members,
sessions and moderators go through the accounts service's events.

Two databases on the one PostgreSQL server, each with its own whole system (web, accounts,
journal, stories, notifications; their own NATS prefix): ``growth_1x`` holds today's stories
and the three journals, ``growth_10x`` ten times the stories. Every size of a page is measured in
the same run, in turns: ROUNDS rounds, the order of the sizes rotating from round to round, after
a short warm-up of each. A request's cost is the inverse of the throughput wrk reaches (16
connections, everything on the same two cores) and each size's cost is shown against the smallest
size's of the same page, measured in the same rounds: flat means at most 1.5.
"""

from __future__ import annotations

import asyncio
import shutil
import statistics
import tempfile
from pathlib import Path

import asyncpg

from bench.pages import _migrate, _people_known, _start, _wait_ready, run_wrk
from bench.report import Figure
from bench.seed import seed
from bench.stories import seed_stories
from shared.runtime import free_port

SIZES = (100, 1_000, 10_000)  # entries in one journal
SCALES = (1, 10)  # times today's seeded stories
MEMBERS = 500  # signed-in members in each database; the first twenty are moderators
DURATION_S, WARM_UP_S, CONNECTIONS, ROUNDS = 5, 1, 16, 3
FLAT = 1.5
# name, path, how the owner is signed in: one line per journal page
JOURNAL_PAGES = [
    ("journal", "/journal", "cookie"),
    ("progress", "/journal/progress", "cookie"),
    ("timeline", "/api/journal/", "bearer"),
]
STORY_PAGES = [("feed", "/stories", "member"), ("queue", "/moderation", "moderator")]
HEADERS = {"cookie": ("Cookie", "sw_session="), "bearer": ("Authorization", "Bearer ")}

LUA = """
tokens = {}
for line in io.lines("%s") do tokens[#tokens + 1] = line end
request = function()
  return wrk.format("GET", "%s", {["%s"] = "%s" .. tokens[math.random(#tokens)]})
end
"""


class Case:
    """One page at one size: where it is served, and who asks for it."""

    def __init__(self, page: str, size: str, url: str, path: str, tokens: Path, how: str = "cookie") -> None:
        self.page, self.size, self.url, self.path = page, size, url, path
        self.script = tokens.with_name(f"{page}-{size}.lua")
        header, prefix = HEADERS[how]
        self.script.write_text(LUA % (tokens, path, header, prefix))

    def load(self, seconds: int) -> tuple[float, float]:
        """(requests/s, p99 ms) of wrk on this page for ``seconds``."""
        wrk = shutil.which("wrk")
        if wrk is None:
            raise RuntimeError("wrk is missing: `make bench` installs Debian's wrk package")
        args = [wrk, "-s", str(self.script), "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency", f"{self.url}/"]
        return run_wrk(args, self.path)


async def _database(admin_url: str, name: str) -> str:
    """A new database ``name`` on the server of ``admin_url``, and its URL."""
    conn = await asyncpg.connect(admin_url)
    try:
        await conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        await conn.execute(f"CREATE DATABASE {name}")
    finally:
        await conn.close()
    return f"{admin_url.rsplit('/', 1)[0]}/{name}"


async def _analyze(database_url: str) -> None:
    conn = await asyncpg.connect(database_url)
    try:
        await conn.execute("ANALYZE")
    finally:
        await conn.close()


class Seeded:
    def __init__(self) -> None:
        self.urls: dict[int, str] = {}  # database URL by scale
        self.members: dict[int, list[str]] = {}  # session tokens of members, by scale
        self.moderators: dict[int, list[str]] = {}
        self.owners: dict[int, str] = {}  # session token of the owner of the journal of each size


async def seed_growth(admin_url: str, secret: str) -> Seeded:
    """Both databases, migrated and seeded (see the module's docstring)."""
    s = Seeded()
    for scale in SCALES:
        url = s.urls[scale] = await _database(admin_url, f"growth_{scale}x")
        await _migrate(url)
        tokens = await seed(url, secret, MEMBERS, 0, MEMBERS)
        _, s.moderators[scale] = await seed_stories(url, tokens, scale)
        s.members[scale] = tokens[len(s.moderators[scale]) :]
    for i, size in enumerate(SIZES):
        s.owners[size] = (await seed(s.urls[1], secret, 1, size, 1, first=MEMBERS + i))[0]
    for url in s.urls.values():
        await _analyze(url)
    return s


def _cases(s: Seeded, urls: dict[int, str], tmp: Path) -> dict[str, list[Case]]:
    """Each page's cases, smallest size first."""

    def tokens(name: str, lines: list[str]) -> Path:
        path = tmp / f"{name}.txt"
        path.write_text("\n".join(lines))
        return path

    cases: dict[str, list[Case]] = {}
    for page, path, how in JOURNAL_PAGES:
        cases[page] = [
            Case(page, str(size), urls[1], path, tokens(f"owner-{size}", [s.owners[size]]), how) for size in SIZES
        ]
    signed_in = {"member": s.members, "moderator": s.moderators}
    for page, path, who in STORY_PAGES:
        cases[page] = [
            Case(page, f"{scale}x", urls[scale], path, tokens(f"{who}-{scale}", signed_in[who][scale]))
            for scale in SCALES
        ]
    return cases


async def _measure(cases: dict[str, list[Case]]) -> dict[tuple[str, str], list[tuple[float, float]]]:
    for page_cases in cases.values():
        for case in page_cases:
            await asyncio.to_thread(case.load, WARM_UP_S)
    runs: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for r in range(ROUNDS):
        for page_cases in cases.values():
            turn = r % len(page_cases)
            for case in page_cases[turn:] + page_cases[:turn]:
                rps, p99 = await asyncio.to_thread(case.load, DURATION_S)
                runs.setdefault((case.page, case.size), []).append((rps, p99))
                print(f"round {r + 1}  {case.page:<14} {case.size:<15} {rps:>8,.0f} requests/s  p99 {p99:6.1f} ms")
    return runs


def _figures(cases: dict[str, list[Case]], runs: dict[tuple[str, str], list[tuple[float, float]]]) -> list[Figure]:
    figures = []
    for page, page_cases in cases.items():
        smallest = f"growth_{page}_{page_cases[0].size}_us"
        base = 1e6 / statistics.median(rps for rps, _ in runs[(page, page_cases[0].size)])
        for case in page_cases:
            sample = runs[(page, case.size)]
            cost = 1e6 / statistics.median(rps for rps, _ in sample)
            name = f"growth_{page}_{case.size}"
            first = case is page_cases[0]
            figures += [
                Figure(
                    name=f"{name}_us", value=cost, unit="us",
                    baseline=None if first else smallest, baseline_value=None if first else base,
                ),
                Figure(name=f"{name}_p99_ms", value=statistics.median(ms for _, ms in sample), unit="ms"),
            ]  # fmt: skip
        largest = 1e6 / statistics.median(rps for rps, _ in runs[(page, page_cases[-1].size)])
        verdict = "flat" if largest <= FLAT * base else "NOT flat"
        print(f"{page}: the largest costs {largest / base:.2f} x the smallest ({verdict}; goal <= {FLAT})")
    return figures


async def growth_figures(admin_url: str, nats_url: str) -> list[Figure]:
    secret = "benchmark-secret"
    seeded = await seed_growth(admin_url, secret)
    ports = {scale: free_port() for scale in SCALES}
    urls = {scale: f"http://127.0.0.1:{port}" for scale, port in ports.items()}
    procs = {
        scale: _start(seeded.urls[scale], nats_url, ports[scale], secret, prefix=f"growth{scale}x") for scale in SCALES
    }
    try:
        for scale in SCALES:
            await asyncio.to_thread(_wait_ready, urls[scale])
        await asyncio.wait_for(_people_known(seeded.urls[1], MEMBERS + len(SIZES)), 300)
        await asyncio.wait_for(_people_known(seeded.urls[10], MEMBERS), 300)
        with tempfile.TemporaryDirectory() as tmp:
            cases = _cases(seeded, urls, Path(tmp))
            return _figures(cases, await _measure(cases))
    finally:
        for system in procs.values():
            for proc in system.values():
                proc.terminate()
        for system in procs.values():
            for proc in system.values():
                proc.wait(20)
