"""`make bench`: measure, print a table, write bench/results.json.

Every figure has a baseline measured in the same run on the same servers, because this machine
is shared and noisy: read the ratios, not the absolute numbers.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

import msgspec

from bench.appends import append_figures
from bench.breakdown import breakdown_figures
from bench.digest import digest_figures
from bench.growth import growth_figures
from bench.healing import healing_figures
from bench.inbox import inbox_figures
from bench.lag import lag_figures
from bench.pages import page_figures
from bench.rebuild import rebuild_figures
from bench.report import Figure, print_table
from bench.screening import screening_figures
from shared.crypto import KeyRing, install, new_key, new_kid, write_key_file
from shared.runtime import EmbeddedServers, free_port

RESULTS = Path(__file__).parent / "results.json"
BREAKDOWN = Path(__file__).parent / "breakdown.json"


async def run(database_url: str, nats_url: str, only: set[str]) -> list[Figure]:
    figures: list[Figure] = []
    if not only or "appends" in only:
        figures += await append_figures(database_url)
    if not only or "lag" in only:
        figures += await lag_figures(database_url, nats_url)
    if not only or "pages" in only:
        figures += await page_figures(database_url, nats_url)
    if not only or "growth" in only:
        figures += await growth_figures(database_url, nats_url)
    if not only or "rebuild" in only:
        figures += await rebuild_figures(database_url, nats_url)
    if not only or "healing" in only:
        figures += await asyncio.to_thread(healing_figures, database_url, nats_url)
    if not only or "inbox" in only:
        figures += await inbox_figures(database_url, nats_url)
    if not only or "digest" in only:
        figures += await digest_figures(database_url, nats_url)
    if not only or "screening" in only:
        figures += screening_figures()
    if "breakdown" in only:  # only when asked for: where an append's time goes
        figures += await breakdown_figures(database_url)
    return figures


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="smallwins-bench-") as tmp:
        keys = Path(tmp) / "secrets" / "keys.json"  # this run's key file, for its services and its seeding
        kid = new_kid()
        write_key_file(keys, {kid: new_key()}, kid)
        os.environ["SMALLWINS_KEY_FILE"] = str(keys)
        install(KeyRing(keys))
        servers = EmbeddedServers(Path(tmp), postgres_port=free_port(), nats_port=free_port())
        servers.start()
        try:
            figures = asyncio.run(run(servers.database_url, servers.nats_url, set(sys.argv[1:])))
        finally:
            servers.stop()
    print_table(figures)
    # the breakdown, run on its own, goes to a file of its own so that it never replaces the suite's
    out = BREAKDOWN if set(sys.argv[1:]) == {"breakdown"} else RESULTS
    out.write_bytes(msgspec.json.format(msgspec.json.encode({"figures": figures}), indent=2))
    print(f"\nwritten to {out}")


if __name__ == "__main__":
    main()
