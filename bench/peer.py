"""The same workload through the `eventsourcing` library's PostgreSQL recorder (8 writers).

Its application recorder locks the events table on every insert, to keep notification order;
8 threads each insert single events, as our writers do.
"""

from __future__ import annotations

import threading
import time
import urllib.parse
import uuid

from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore


def peer_events_per_s(database_url: str, writers: int, per_writer: int) -> float:
    url = urllib.parse.urlparse(database_url)
    datastore = PostgresDatastore(
        dbname=url.path.lstrip("/"), host=url.hostname or "127.0.0.1", port=url.port or 5432,
        user=url.username or "postgres", password=url.password or "", pool_size=writers, max_overflow=0,
    )  # fmt: skip
    recorder = PostgresApplicationRecorder(datastore, events_table_name="peer_stored_events")
    recorder.create_table()
    start = threading.Barrier(writers + 1)

    def writer() -> None:
        start.wait()
        for i in range(per_writer):
            event = StoredEvent(
                originator_id=uuid.uuid4(), originator_version=1, topic="bench:Counted", state=f'{{"n": {i}}}'.encode()
            )
            recorder.insert_events([event])

    threads = [threading.Thread(target=writer) for _ in range(writers)]
    for t in threads:
        t.start()
    start.wait()
    began = time.perf_counter()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - began
    datastore.close()
    return writers * per_writer / elapsed
