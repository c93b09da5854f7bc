"""The main navigation says where the reader is: the page itself, or the section it is in."""

from __future__ import annotations

import pytest

from web.templating import nav_current

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("path", "href", "current"),
    [
        ("/", "/", "page"),
        ("/journal", "/journal", "page"),
        ("/journal/progress", "/journal/progress", "page"),
        ("/journal/progress", "/journal", ""),  # its own link, not the journal's
        ("/journal/supporters", "/journal/supporters", "page"),
        ("/journal/entries/1/edit", "/journal", "true"),
        ("/stories/new", "/stories", "true"),
        ("/moderation/items/1", "/moderation", "true"),
        ("/moderation/audit", "/moderation", "true"),
        ("/help", "/help", "page"),
        ("/journal", "/", ""),  # home is only itself
        ("/journals/1", "/journal", ""),  # a journal one supports is not one's own
        ("/journalling", "/journal", ""),
        ("/nowhere", "/", ""),
    ],
)
def test_the_link_to_where_the_reader_is_is_marked(path: str, href: str, current: str) -> None:
    assert str(nav_current(path, href)) == (f' aria-current="{current}"' if current else "")
