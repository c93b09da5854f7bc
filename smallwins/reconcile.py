"""``smallwins reconcile``: bring JetStream's streams and consumers in line with the code."""

from __future__ import annotations

import sys

from shared.bus.connection import connect
from shared.bus.streams import ConfigDrift, event_stream, provision_consumer, provision_stream
from shared.service import consumer_spec
from shared.settings import Settings
from smallwins.registry import SERVICES
from smallwins.servers import servers


async def reconcile(settings: Settings) -> int:
    """Create what is missing, update streams in place and re-create consumers that differ."""
    changes: list[str] = []
    with servers(settings) as (s, _embedded):
        nc = await connect(s.servers()[1], name="smallwins-reconcile")
        try:
            js = nc.jetstream()
            for name, definition in SERVICES.items():
                changes += await provision_stream(js, event_stream(s.nats_prefix, name), fix=True)
                for sub in definition.subscriptions:
                    changes += await provision_stream(js, event_stream(s.nats_prefix, sub.producer), fix=True)
                    changes += await provision_consumer(js, consumer_spec(s.nats_prefix, name, sub), fix=True)
        except ConfigDrift as exc:
            print(f"smallwins: {exc}", file=sys.stderr)
            return 1
        finally:
            await nc.close()
    for change in changes:
        print(change)
    print("Streams and consumers match the code." if not changes else f"{len(changes)} setting(s) brought in line.")
    return 0
