"""The stories events web's feed cache reads are named once, in shared/contracts/stories.py, and
tied here to the service's registry. Any stories event not named there drops the cached feed pages,
so a new event is safe by default; these tests catch a name that no longer matches an event (a
renamed or re-versioned tag), which would make the cache drop pages it could keep, or miss a
reader's new choices."""

from __future__ import annotations

import pytest

from services.stories.events import REGISTRY
from shared.contracts import stories as st

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("tag", sorted(st.FEED_UNAFFECTED_BY))
def test_each_event_the_feed_cache_ignores_is_a_published_stories_event(tag: str) -> None:
    assert tag in REGISTRY.tags and not REGISTRY.is_private(tag)


def test_the_warning_choices_event_reaches_web_and_names_the_reader() -> None:
    tag = st.WARNING_PREFERENCES_SET
    assert tag in REGISTRY.tags and not REGISTRY.is_private(tag)
    assert tag not in st.FEED_UNAFFECTED_BY
    assert "member_id" in REGISTRY._types[tag].__struct_fields__, "web forgets that reader's choices by member_id"
