"""What the inbox reads of the stories and journal events is what those services publish, and
never their text."""

from __future__ import annotations

import pytest

from services.journal.events import REGISTRY as JOURNAL
from services.stories.events import REGISTRY as STORIES
from shared.contracts import journal_events as je
from shared.contracts import story_events as se

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(("registry", "tags"), [(STORIES, se.FOR_NOTIFICATIONS), (JOURNAL, je.FOR_NOTIFICATIONS)])
def test_the_followed_events_are_published_events_of_their_service(registry: object, tags: tuple[str, ...]) -> None:
    for tag in tags:
        assert tag in registry.tags and not registry.is_private(tag), tag  # type: ignore[attr-defined]


def test_reports_are_not_followed() -> None:
    assert "stories.post_reported.v1" not in se.FOR_NOTIFICATIONS
    assert "stories.post_hidden.v1" not in se.FOR_NOTIFICATIONS


@pytest.mark.parametrize("view", [se.PostSeen, se.EncouragementSeen, je.JournalSeen, je.WritingSeen])
def test_the_views_name_no_text(view: type) -> None:
    fields = set(view.__struct_fields__)
    assert not fields & {"text", "body", "title", "message", "note", "helped", "statement", "for_name"}


@pytest.mark.parametrize(
    ("registry", "tag", "view"),
    [(STORIES, se.ENCOURAGED, se.EncouragementSeen), (STORIES, se.POST_PUBLISHED, se.PostSeen),
     (STORIES, se.POST_REMOVED, se.PostSeen), (JOURNAL, je.NOTE_ADDED, je.WritingSeen),
     (JOURNAL, je.SUPPORTER_JOINED, je.JournalSeen), (JOURNAL, je.HANDOVER_PROPOSED, je.JournalSeen)],
)  # fmt: skip
def test_each_view_names_fields_its_event_has(registry: object, tag: str, view: type) -> None:
    event_fields = set(registry._types[tag].__struct_fields__)  # type: ignore[attr-defined]
    fields = view.__struct_fields__
    required = set(fields[: len(fields) - len(view.__struct_defaults__)])  # the fields without a default
    assert required <= event_fields, "the view needs a field the event does not have"
