"""Pages for every reader, through the web edge: what a page says when there is nothing to
draft, line breaks counted as the browser counts them, names in any script, what the home page
shows a member who has begun, and pages and static files as they travel."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from pathlib import Path

import pytest

from shared.settings import Settings
from shared.testing.plugin import eventually
from tests.e2e.helpers import count, post_form
from tests.e2e.test_journal_web import Client, person

pytestmark = pytest.mark.e2e
Person = Callable[[str], AbstractAsyncContextManager[Client]]
__all__ = ["person"]  # the fixture, shared with the journal's web tests
WEB = Path(__file__).parents[2] / "web"


async def test_drafting_from_days_without_entries_says_so(person: Person) -> None:
    async with person("Dara") as dara:
        page = await dara.get("/stories/new", params={"from": "2020-03-03", "to": "2020-03-10"})
        assert page.status_code == 200
        assert "Your journal has no victories or setbacks from 3 March to 10 March" in page.text
        assert '<details class="draft-from-journal" open>' in page.text


def paragraphs(n: int, length: int) -> str:
    """``n`` paragraphs of ``length`` characters, as typed: one character per line break."""
    line = ("Today I walked a little further than yesterday, and rested after. " * 200)[:length]
    return "\n".join([line] * n)


async def test_line_breaks_count_once_as_the_browser_counts_them(person: Person, settings: Settings) -> None:
    entry, story = paragraphs(40, 49), paragraphs(30, 332)
    assert (len(entry), len(story)) == (1_999, 9_989)  # within 2,000 and 10,000 in the browser
    sent_entry, sent_story = entry.replace("\n", "\r\n"), story.replace("\n", "\r\n")  # as a form sends them
    assert len(sent_entry) > 2_000 and len(sent_story) > 10_000
    async with person("Lin") as lin:
        saved = await post_form(lin, "/journal/entries", {"kind": "victory", "text": sent_entry}, page="/journal")
        assert saved.status_code in (302, 303), saved.text
        posted = await post_form(lin, "/stories", {"title": "Step by step", "body": sent_story}, page="/stories/new")
        assert posted.status_code in (302, 303), posted.text
        assert "posted=" in posted.headers["location"]
    db = settings.database_url or ""
    assert await count(db, "SELECT count(*) FROM journal.entries") == 1
    assert await count(db, "SELECT count(*) FROM stories.posts") == 1


async def test_home_shows_a_member_who_has_begun_no_first_win_prompt(person: Person) -> None:
    async with person("נועה") as noa:

        async def welcomed() -> bool:
            return "Welcome to Small Wins" in (await noa.get("/")).text

        await eventually(welcomed)
        first = (await noa.get("/")).text
        assert "record your first small win" in first.lower()
        assert "<h1>Hello, <bdi>נועה</bdi></h1>" in first  # a right-to-left name keeps to itself
        await post_form(noa, "/journal/entries", {"kind": "victory", "text": "Made tea"}, page="/journal")
        home = (await noa.get("/")).text
        assert "first small win" not in home.lower()  # neither the button nor the welcome note
        assert ">Record a small win<" in home
        assert "Nothing new for you" in home and 'id="inbox-empty"' not in home  # no refreshing for a note


async def test_a_refused_entry_names_each_field_in_a_summary_that_links_to_it(person: Person) -> None:
    async with person("Sol") as sol:
        refused = await post_form(sol, "/journal/entries", {"kind": "mood", "mood": "9"}, page="/journal")
        assert refused.status_code == 422
        page = refused.text
        summary = page.split('<div class="error-summary" id="error-summary" tabindex="-1"', 1)[1].split("</div>", 1)[0]
        assert '<a href="#mood-mood-1">Your mood: Please choose your mood from 1 to 5.</a>' in summary
        assert 'id="mood-mood-1" name="mood" value="1"' in page  # the link's target is the first radio
        # the radios' group carries the error, for a screen reader on any of them
        assert 'role="radiogroup" aria-invalid="true" aria-describedby="mood-mood-error"' in page
        assert page.index("error-summary") < page.index('id="record"')  # before the form, under the heading
        too_long = await post_form(sol, "/journal/entries", {"kind": "victory", "text": "x" * 2001}, page="/journal")
        assert '<a href="#victory-text">What went well: ' in too_long.text
        blank = (await sol.get("/journal")).text
        assert "error-summary" not in blank


STATIC_RE = re.compile(r'href="(/static/style\.[0-9a-f]{12}\.css)"')
SCRIPT_RE = re.compile(r'src="(/static/app\.[0-9a-f]{12}\.js)"')


async def test_static_files_are_named_by_content_and_kept_for_a_year_pages_never(person: Person) -> None:
    async with person("Ida") as ida:
        page = await ida.get("/journal")
        assert page.headers["cache-control"] == "no-store"
        style, script = STATIC_RE.search(page.text), SCRIPT_RE.search(page.text)
        assert style and script, "the page names its static files by content"
        for url, name in ((style.group(1), "style.css"), (script.group(1), "app.js")):
            served = await ida.get(url)
            assert served.status_code == 200
            assert served.headers["cache-control"] == "public, max-age=31536000, immutable"
            assert served.content == (WEB / "static" / name).read_bytes()
            assert url.split(".")[1] == hashlib.sha256(served.content).hexdigest()[:12]
        plain = await ida.get("/static/style.css")  # the plain name still answers, checked each time
        assert plain.status_code == 200 and plain.headers["cache-control"] == "no-cache"
        stale = await ida.get("/static/style.000000000000.css")
        assert stale.status_code == 404 and "immutable" not in stale.headers.get("cache-control", "")


@pytest.mark.parametrize(("accepts", "encoding"), [("br, gzip", "br"), ("gzip", "gzip"), ("identity", None)])
async def test_pages_and_static_files_travel_compressed(person: Person, accepts: str, encoding: str | None) -> None:
    async with person("Oli") as oli:
        page = await oli.get("/journal", headers={"Accept-Encoding": accepts})
        style = STATIC_RE.search(page.text)
        assert style
        css = await oli.get(style.group(1), headers={"Accept-Encoding": accepts})
        for response in (page, css):
            assert response.headers.get("content-encoding") == encoding
        assert css.headers["vary"].lower() == "accept-encoding"  # a cache keeps each encoding apart
        assert css.content == (WEB / "static" / "style.css").read_bytes()  # decoded, it is the same file
        if encoding:
            raw = (await oli.get(style.group(1), headers={"Accept-Encoding": accepts})).num_bytes_downloaded
            assert raw < len(css.content) / 2  # what travelled is less than half of the file
