"""The feed cache's rules: how long pages live, what drops them, and no page kept across a change."""

from __future__ import annotations

import datetime as dt
from uuid import uuid4

import msgspec

from shared.contracts.stories import FeedView, PreferencesView, StoryCard
from web.feedcache import PAGE_TTL_S, PREFERENCES_TTL_S, FeedCache, page_key


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _view(title: str) -> FeedView:
    card = StoryCard(
        id=uuid4(), pseudonym="Ana", title=title, excerpt="", themes=(), warnings=(),
        published_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    )  # fmt: skip
    return FeedView(items=(card,))


def _event(member: object) -> bytes:
    return msgspec.json.encode({"data": {"member_id": str(member), "hide": [], "blur": []}})


def test_a_page_lives_for_its_ttl_and_is_kept_by_the_warnings_applied() -> None:
    clock = Clock()
    cache = FeedCache(clock)
    plain, hiding = (
        page_key(False, "", "", 20, PreferencesView()),
        page_key(False, "", "", 20, PreferencesView(hide=("grief", "abuse"))),
    )
    cache.keep_page(plain, _view("one"), cache.generation)
    assert cache.page(plain) is not None
    assert cache.page(hiding) is None
    assert hiding == page_key(False, "", "", 20, PreferencesView(hide=("abuse", "grief")))  # order does not matter
    assert page_key(True, "", "", 20, PreferencesView()) != plain  # visitors never share members' pages
    clock.now += PAGE_TTL_S + 0.1
    assert cache.page(plain) is None


def test_a_page_fetched_across_a_change_is_not_kept() -> None:
    cache = FeedCache()
    key = page_key(False, "", "", 20, PreferencesView())
    fetched_in = cache.generation
    cache.on_event("stories.post_withdrawn.v1", b"{}")  # arrives while the page was on its way
    cache.keep_page(key, _view("old"), fetched_in)
    assert cache.page(key) is None


def test_events_the_feed_never_shows_keep_pages_and_the_rest_drop_them() -> None:
    cache = FeedCache()
    key = page_key(False, "", "", 20, PreferencesView())
    cache.keep_page(key, _view("one"), cache.generation)
    for harmless in ("stories.encouraged.v1", "stories.encouragement_taken_back.v1", "stories.post_claimed.v1"):
        cache.on_event(harmless, b"{}")
        assert cache.page(key) is not None
    for changing in (
        "stories.post_published.v1",
        "stories.post_removed.v1",
        "stories.post_hidden.v1",
        "stories.story_revised.v1",
    ):
        cache.keep_page(key, _view("one"), cache.generation)
        cache.on_event(changing, b"{}")
        assert cache.page(key) is None, changing


def test_a_readers_new_warning_choice_drops_only_theirs() -> None:
    clock = Clock()
    cache = FeedCache(clock)
    stan, ana = uuid4(), uuid4()
    for member in (stan, ana):
        cache.keep_preferences(member, PreferencesView(blur=("grief",)), cache.generation)
    cache.on_event("stories.warning_preferences_set.v1", _event(stan))
    assert cache.preferences(stan) is None
    assert cache.preferences(ana) == PreferencesView(blur=("grief",))
    clock.now += PREFERENCES_TTL_S + 0.1
    assert cache.preferences(ana) is None


def test_a_members_erasure_drops_every_page_and_their_choices() -> None:
    cache = FeedCache()
    gone, stays = uuid4(), uuid4()
    keys = [
        page_key(visitor, theme, "", 20, PreferencesView()) for visitor in (True, False) for theme in ("", "advocacy")
    ]
    for key in keys:
        cache.keep_page(key, _view("theirs"), cache.generation)
    for member in (gone, stays):
        cache.keep_preferences(member, PreferencesView(hide=("grief",)), cache.generation)
    fetched_in = cache.generation
    cache.on_event("stories.member_erased.v1", msgspec.json.encode({"data": {"member_id": str(gone)}}))
    assert all(cache.page(key) is None for key in keys)  # any page could have shown what they wrote
    assert cache.preferences(gone) is None and cache.preferences(stays) is not None
    cache.keep_page(keys[0], _view("theirs"), fetched_in)  # a page fetched before it arrived is not kept
    assert cache.page(keys[0]) is None


def test_an_unreadable_preferences_event_forgets_every_reader() -> None:
    cache = FeedCache()
    member = uuid4()
    cache.keep_preferences(member, PreferencesView(), cache.generation)
    cache.on_event("stories.warning_preferences_set.v1", b"not json")
    assert cache.preferences(member) is None


def test_a_fragment_is_rendered_once_per_view_object() -> None:
    from web.templating import RenderedOnce

    calls: list[object] = []

    def render(view: object) -> str:
        calls.append(view)
        return f"<p>{len(calls)}</p>"

    once = RenderedOnce(render, size=2)
    first, second = _view("one"), _view("one")  # equal, but two objects: each is rendered
    assert once(first) == once(first) == "<p>1</p>"
    assert once(second) == "<p>2</p>"
    once(_view("three"))  # the table was full: it starts over
    assert once(first) == "<p>4</p>" and len(calls) == 4
