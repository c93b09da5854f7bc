"""A short-lived cache of feed pages in each web process, so that reading the feed seldom needs a
call to the stories service (see ADR 0010).

A feed page is the same for every reader who hides and blurs the same content warnings, so pages
are kept by (visitor or member, theme, cursor, size, hidden warnings, blurred warnings), and each
member's choice of warnings is kept beside them. Pages are dropped the moment the stories service
announces anything that can change what the feed shows (its events reach every web process over
NATS), at once in the web process that made a change, and after ten seconds at the latest. A page
fetched while such an event arrived is not kept, so an old answer cannot outlive the news."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import NamedTuple
from uuid import UUID

import msgspec
from nats.aio.client import Client
from nats.aio.msg import Msg

from shared.bus.streams import event_subject, event_type_of
from shared.contracts import stories as st
from shared.contracts.erasure import APPLIED
from shared.contracts.stories import FeedView, PreferencesView
from web.caching import Expiring, event_data

log = logging.getLogger(__name__)
# Events that name a member whose kept choices are wrong now: their new choices, or their erasure
# (which also drops every page, since any of them could show what they wrote).
FORGETS_READER = frozenset({st.WARNING_PREFERENCES_SET, APPLIED[st.SERVICE]})
PAGE_TTL_S = 10.0
PREFERENCES_TTL_S = 60.0
MAX_PAGES = 2_000
MAX_READERS = 50_000


class PageKey(NamedTuple):
    visitor: bool
    theme: str
    cursor: str
    limit: int
    hide: tuple[str, ...]
    blur: tuple[str, ...]


def page_key(visitor: bool, theme: str, cursor: str, limit: int, prefs: FeedView | PreferencesView) -> PageKey:
    return PageKey(visitor, theme, cursor, limit, tuple(sorted(prefs.hide)), tuple(sorted(prefs.blur)))


class _Reader(msgspec.Struct, frozen=True, kw_only=True):
    member_id: UUID


class FeedCache:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._pages: Expiring[PageKey, FeedView] = Expiring(PAGE_TTL_S, MAX_PAGES, clock)
        self._readers: Expiring[UUID, PreferencesView] = Expiring(PREFERENCES_TTL_S, MAX_READERS, clock)
        self.generation = 0
        """Counts the changes seen: a page fetched across a change is not kept."""

    def page(self, key: PageKey) -> FeedView | None:
        return self._pages.get(key)

    def keep_page(self, key: PageKey, view: FeedView, fetched_in: int) -> None:
        if fetched_in == self.generation:
            self._pages.put(key, view)

    def preferences(self, member: UUID) -> PreferencesView | None:
        return self._readers.get(member)

    def keep_preferences(self, member: UUID, prefs: PreferencesView, fetched_in: int) -> None:
        if fetched_in == self.generation:
            self._readers.put(member, prefs)

    def changed(self, member: UUID | None = None) -> None:
        """The feed may have changed (and, given a member, their warning choices)."""
        self.generation += 1
        self._pages.clear()
        if member is not None:
            self._readers.pop(member)

    def on_event(self, event_type: str, data: bytes) -> None:
        if event_type in st.FEED_UNAFFECTED_BY:
            return
        if event_type not in FORGETS_READER:
            self.changed()
            return
        try:
            self.changed(event_data(data, _Reader).member_id)
        except (msgspec.ValidationError, msgspec.DecodeError):
            log.warning("unreadable stories event %s", event_type)
            self.changed()
            self._readers.clear()

    async def follow(self, nc: Client, prefix: str) -> None:
        """Drop what a stories event may have changed, in this process, as the event arrives."""

        async def arrived(msg: Msg) -> None:
            self.on_event(event_type_of(msg.subject), msg.data)

        await nc.subscribe(event_subject(prefix, st.SERVICE, ">"), cb=arrived)
