"""The journal through the web edge: forms, pages and what each person may see."""

from __future__ import annotations

import html
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

import pytest
import pytest_asyncio
from litestar.testing import AsyncTestClient

from shared.settings import Settings
from shared.testing.plugin import eventually
from tests.e2e.helpers import count, post_form
from web.app import create_app

pytestmark = pytest.mark.e2e
Client = AsyncTestClient  # type: ignore[type-arg]


@pytest_asyncio.fixture
async def person(
    settings: Settings, system: object
) -> AsyncIterator[Callable[[str], AbstractAsyncContextManager[Client]]]:
    """A signed-up, signed-in person with their own browser session."""

    @asynccontextmanager
    async def make(name: str) -> AsyncIterator[Client]:
        async with AsyncTestClient(app=create_app(settings)) as client:
            email = name.lower().replace(" ", "") + "@example.org"
            await post_form(client, "/signup", {"pseudonym": name, "email": email, "password": "long enough password"})
            response = await post_form(client, "/signin", {"email": email, "password": "long enough password"})
            assert response.status_code in (302, 303), response.text

            async def known() -> bool:  # the journal learns names from accounts' events
                sql = f"SELECT count(*) FROM journal.people WHERE pseudonym = '{name}'"
                return await count(settings.database_url or "", sql) == 1

            await eventually(known)
            yield client

    yield make


async def test_record_see_filter_and_progress(person: Callable[[str], AbstractAsyncContextManager[Client]]) -> None:
    async with person("Robin") as robin:
        page = await robin.get("/journal")
        assert "Record your first small win" in page.text
        saved = await post_form(
            robin,
            "/journal/entries",
            {"kind": "victory", "text": "Showered and dressed", "themes": "healthy-habits"},
            page="/journal",
        )
        assert (
            saved.status_code in (302, 303)
            and "saved=1" in saved.headers["location"]
            and "crisis" not in saved.headers["location"]
        )
        await post_form(robin, "/journal/entries", {"kind": "mood", "mood": "4"}, page="/journal")
        page = await robin.get("/journal")
        assert "Showered and dressed" in page.text and "Mood 4 of 5" in page.text
        only_moods = await robin.get("/journal?kind=mood")
        assert "Showered and dressed" not in only_moods.text and "Mood 4 of 5" in only_moods.text
        progress = await robin.get("/journal/progress")
        assert "<svg" in progress.text and "Healthy habits" in progress.text and "Weekly average" in progress.text


async def test_crisis_message_is_shown_to_the_writer(
    person: Callable[[str], AbstractAsyncContextManager[Client]],
) -> None:
    async with person("Robin") as robin:
        saved = await post_form(
            robin, "/journal/entries", {"kind": "setback", "text": "I can't go on like this"}, page="/journal"
        )
        assert "crisis=1" in saved.headers["location"]
        page = await robin.get(saved.headers["location"])
        assert 'role="alert"' in page.text and "988" in page.text and "only you see this message" in page.text
        assert "I can't go on like this" in html.unescape(page.text)  # still saved


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"kind": "victory", "text": ""}, "Please write a few words about it."),
        ({"kind": "victory", "text": "x" * 2001}, "2000 characters or fewer"),
        ({"kind": "mood", "mood": "0"}, "Please choose your mood from 1 to 5."),
        ({"kind": "mood", "mood": "6"}, "Please choose your mood from 1 to 5."),
        ({"kind": "victory", "text": "ok", "occurred_on": "2999-01-01"}, "That day hasn&#39;t happened yet."),
        ({"kind": "victory", "text": "ok", "themes": "astrology"}, "Please choose themes from the list."),
        ({"kind": "victory", "text": "ok", "occurred_on": "someday"}, "Some details need another look"),
    ],
)
async def test_bad_entry_forms_show_a_clear_message_and_store_nothing(
    person: Callable[[str], AbstractAsyncContextManager[Client]], settings: Settings, form: dict[str, str], message: str
) -> None:
    async with person("Robin") as robin:
        response = await post_form(robin, "/journal/entries", form, page="/journal")
        assert response.status_code == 422
        assert message in response.text
        assert await count(settings.database_url or "", "SELECT count(*) FROM journal.entries") == 0


async def test_entry_form_errors_are_shown_beside_their_fields_and_nothing_is_saved(
    person: Callable[[str], AbstractAsyncContextManager[Client]],
) -> None:
    async with person("Robin") as robin:
        refused = await post_form(robin, "/journal/entries", {"kind": "mood", "mood": "9"}, page="/journal")
        assert refused.status_code == 422
        assert 'id="mood-mood-error"' in refused.text and "Please choose your mood from 1 to 5." in refused.text
        assert '<input type="hidden" name="kind" value="mood">' in refused.text  # the mood form stays, with its error
        assert "Record your first small win" in refused.text  # nothing was saved
        saved = await post_form(robin, "/journal/entries", {"kind": "victory", "text": "Made tea"}, page="/journal")
        page = await robin.get(saved.headers["location"])
        edit_link = page.text.split('href="/journal/entries/', 1)[1].split('"', 1)[0]
        entry_path = "/journal/entries/" + edit_link.split("/edit", 1)[0]
        edit_page = "/journal/entries/" + edit_link.replace("&amp;", "&")
        too_long = await post_form(robin, f"{entry_path}/edit", {"kind": "victory", "text": "x" * 3000}, page=edit_page)
        assert too_long.status_code == 422
        assert 'id="edit-text-error"' in too_long.text and 'aria-invalid="true"' in too_long.text
        assert "Made tea" in (await robin.get("/journal")).text
