"""The live inbox in one web process: a change wakes only its member's streams; a stream that
falls behind is dropped (it reconnects and catches up); ``Last-Event-ID`` garbage starts from now."""

from __future__ import annotations

from uuid import uuid4

import pytest

from web.live import DROPPED, QUEUE_MAX, STREAMS_PER_MEMBER, InboxHub
from web.pages.live import last_event_id

pytestmark = pytest.mark.unit


async def test_a_change_wakes_the_members_streams_and_nobody_elses() -> None:
    hub, ana, bo = InboxHub(), uuid4(), uuid4()
    with hub.listen(ana) as tab1, hub.listen(ana) as tab2, hub.listen(bo) as other:
        hub.changed(ana, 5)
        assert tab1.queue.get_nowait() == tab2.queue.get_nowait() == 5
        assert other.queue.empty()
        assert len(hub) == 3
    assert len(hub) == 0


async def test_a_stream_that_falls_behind_is_dropped_and_holds_no_more_than_its_queue() -> None:
    hub, ana = InboxHub(), uuid4()
    with hub.listen(ana) as slow:
        for position in range(QUEUE_MAX + 5):
            hub.changed(ana, position)
        assert slow.dropped and slow.queue.qsize() == 1 and slow.queue.get_nowait() == DROPPED


async def test_a_members_oldest_stream_gives_way() -> None:
    hub, ana = InboxHub(), uuid4()
    with hub.listen(ana) as oldest:
        for _ in range(STREAMS_PER_MEMBER):
            with hub.listen(ana):
                pass
        assert not oldest.dropped
        listeners = [hub.listen(ana) for _ in range(STREAMS_PER_MEMBER)]
        for cm in listeners:
            cm.__enter__()
        assert oldest.dropped
        for cm in listeners:
            cm.__exit__(None, None, None)


@pytest.mark.parametrize(
    ("header", "position"),
    [("12", 12), ("0", 0), (None, -1), ("", -1), ("abc", -1), ("-3", -1), ("1e3", -1), (" 7", -1), ("²", -1),
     ("9" * 19, -1), ("12\n", -1)],
)  # fmt: skip
def test_last_event_id(header: str | None, position: int) -> None:
    assert last_event_id(header) == position
