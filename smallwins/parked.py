"""``smallwins parked``: list the messages consumers parked, and put them back."""

from __future__ import annotations

import sys
from collections import defaultdict

from shared.bus.connection import connect
from shared.db import create_pool
from shared.eventstore.store import EventStore
from shared.parked import list_parked, replay
from shared.service import ServiceContext, consumer_runners
from shared.settings import Settings
from smallwins.registry import SERVICES
from smallwins.servers import servers


def _targets(args: list[str]) -> dict[str, list[int]]:
    """``journal/3 stories/7`` -> {"journal": [3], "stories": [7]}; a clear error otherwise."""
    out: dict[str, list[int]] = defaultdict(list)
    for arg in args:
        service, _, number = arg.partition("/")
        if service not in SERVICES or not number.isdigit():
            raise ValueError(f"{arg!r} is not a parked message id; ids look like journal/3 (see `smallwins parked`).")
        out[service].append(int(number))
    return out


async def show(settings: Settings) -> int:
    with servers(settings) as (s, _embedded):
        pool = await create_pool(s.servers()[0], max_size=2)
        try:
            count = 0
            for name in SERVICES:
                for m in await list_parked(pool, name):
                    count += 1
                    print(
                        f"{name}/{m.id}  {m.consumer}  {m.subject}  parked {m.parked_at:%Y-%m-%d %H:%M} UTC"
                        f" after {m.deliveries} deliveries\n    {m.error}"
                    )
        finally:
            await pool.close()
    print(
        "No parked messages." if count == 0 else f"{count} parked; `smallwins parked replay ID|--all` puts them back."
    )
    return 0


async def replay_parked(settings: Settings, ids: list[str], every: bool) -> int:
    if bool(ids) == every:
        print("smallwins: name the parked messages to replay (e.g. journal/3), or --all.", file=sys.stderr)
        return 2
    try:
        targets = _targets(ids)
    except ValueError as exc:
        print(f"smallwins: {exc}", file=sys.stderr)
        return 2
    failed = 0
    with servers(settings) as (s, _embedded):
        database_url, nats_url = s.servers()
        nc = await connect(nats_url, name="smallwins-parked")
        try:
            for name, definition in SERVICES.items():
                if not every and name not in targets:
                    continue
                pool = await create_pool(database_url, schema=name, max_size=2)
                try:
                    ctx = ServiceContext(settings=s, pool=pool, nc=nc, store=EventStore(name, definition.registry))
                    runners = {r.spec.durable: r for r in consumer_runners(definition, ctx)}
                    done = await replay(pool, name, runners, None if every else targets[name])
                finally:
                    await pool.close()
                for i in done.applied:
                    print(f"{name}/{i}: applied and removed from the parked messages.")
                for i in done.already_applied:
                    print(f"{name}/{i}: its event had been applied already; removed from the parked messages.")
                for i, error in done.failed.items():
                    print(f"{name}/{i}: not replayed: {error}")
                failed += len(done.failed)
        finally:
            await nc.close()
    return 1 if failed else 0
