"""The live inbox in one web process: a change wakes only its member's streams; a burst becomes one
wake-up; a stream that falls behind is dropped (it reconnects and catches up); heartbeats are spread
over the round, each stream beating once a round; ``Last-Event-ID`` garbage starts from now."""

from __future__ import annotations

import asyncio
from uuid import uuid4

import pytest

from shared.contracts.notifications import ChangesView
from web.live import BEAT, BEAT_SLOTS, DROPPED, GONE, QUEUE_MAX, STREAMS_PER_MEMBER, InboxHub, Listener
from web.pages.live import ending, event, last_event_id

pytestmark = pytest.mark.unit


async def woken(listener: Listener, timeout: float = 1.0) -> int:
    """The stream's next wake-up, as its loop in web/pages/live.py takes it."""
    waiting = listener.wait()
    if waiting is not None:
        await asyncio.wait_for(waiting, timeout)
    return listener.take()


async def test_a_change_wakes_the_members_streams_and_nobody_elses() -> None:
    hub, ana, bo = InboxHub(), uuid4(), uuid4()
    tab1, tab2, other = hub.open(ana), hub.open(ana), hub.open(bo)
    waiting = asyncio.ensure_future(woken(tab1))
    await asyncio.sleep(0)
    hub.changed(ana, 5)
    assert await waiting == 5
    assert await woken(tab2) == 5
    with pytest.raises(TimeoutError):
        await woken(other, timeout=0.05)
    assert len(hub) == 3
    for listener in (tab1, tab2, other):
        hub.close(listener)
    assert len(hub) == 0


async def test_a_burst_is_one_wake_up_with_the_newest_position() -> None:
    hub, ana = InboxHub(), uuid4()
    tab = hub.open(ana)
    for position in (3, 7, 5):
        hub.changed(ana, position)
    assert await woken(tab) == 7
    assert tab.pending == 0 and tab.wait() is not None  # nothing more to take


async def test_a_stream_that_falls_behind_is_dropped_and_holds_no_more_than_a_count() -> None:
    hub, ana = InboxHub(), uuid4()
    slow = hub.open(ana)
    for position in range(QUEUE_MAX):
        hub.changed(ana, position)
    assert not slow.dropped
    for position in range(QUEUE_MAX, QUEUE_MAX + 5):
        hub.changed(ana, position)
    assert slow.dropped and slow.pending == QUEUE_MAX
    assert await woken(slow) == DROPPED


async def test_a_stream_whose_browser_left_wakes_as_gone() -> None:
    hub, ana = InboxHub(), uuid4()
    tab = hub.open(ana)
    waiting = asyncio.ensure_future(woken(tab))
    await asyncio.sleep(0)
    tab.leave()
    assert await waiting == GONE


async def test_a_members_oldest_stream_gives_way() -> None:
    hub, ana = InboxHub(), uuid4()
    oldest = hub.open(ana)
    for _ in range(STREAMS_PER_MEMBER):
        hub.close(hub.open(ana))
    assert not oldest.dropped
    newer = [hub.open(ana) for _ in range(STREAMS_PER_MEMBER)]
    assert oldest.dropped and not any(listener.dropped for listener in newer)
    hub.drop_all()
    assert all(listener.dropped for listener in newer)


async def test_heartbeats_are_spread_over_the_round_once_a_round_each() -> None:
    hub = InboxHub()
    listeners = []
    for opened in range(BEAT_SLOTS * 3):  # three streams open in each slot of a round
        listeners.append(hub.open(uuid4()))
        if opened % 3 == 2:
            hub.beat()
    # the first three opened a whole round ago: theirs is the only slot that has beaten yet
    assert [i for i, listener in enumerate(listeners) if listener.beat_due] == [0, 1, 2]
    for listener in listeners[:3]:
        assert await woken(listener) == BEAT
    beats: list[list[int]] = []
    for _ in range(BEAT_SLOTS * 2):  # two more rounds
        hub.beat()
        beats.append([i for i, listener in enumerate(listeners) if listener.beat_due])
        for i in beats[-1]:
            assert await woken(listeners[i]) == BEAT
    assert all(len(slot) == 3 for slot in beats)  # no slot beats more streams than another
    assert sorted(i for slot in beats for i in slot) == sorted(list(range(len(listeners))) * 2)


@pytest.mark.parametrize(
    ("header", "position"),
    [("12", 12), ("0", 0), (None, -1), ("", -1), ("abc", -1), ("-3", -1), ("1e3", -1), (" 7", -1), ("²", -1),
     ("9" * 19, -1), ("12\n", -1)],
)  # fmt: skip
def test_last_event_id(header: str | None, position: int) -> None:
    assert last_event_id(header) == position


def test_events_are_what_an_event_source_reads() -> None:
    view = ChangesView(position=12, unread=3, items=())
    assert event(view) == b'id: 12\r\nevent: inbox\r\ndata: {"unread":3,"items":[]}\r\n\r\n'
    assert ending("signed out", 60_000) == b": signed out\r\nretry: 60000\r\n\r\n"
