"""Pages for every reader, through the web edge: what a page says when there is nothing to
draft, line breaks counted as the browser counts them, names in any script, what the home page
shows a member who has begun, and pages and static files as they travel."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager

import pytest

from tests.e2e.test_journal_web import Client, person

pytestmark = pytest.mark.e2e
Person = Callable[[str], AbstractAsyncContextManager[Client]]
__all__ = ["person"]  # the fixture, shared with the journal's web tests


async def test_drafting_from_days_without_entries_says_so(person: Person) -> None:
    async with person("Dara") as dara:
        page = await dara.get("/stories/new", params={"from": "2020-03-03", "to": "2020-03-10"})
        assert page.status_code == 200
        assert "Your journal has no victories or setbacks from 3 March to 10 March" in page.text
        assert '<details class="draft-from-journal" open>' in page.text
