"""Template helpers. The blank entry forms are the same for everyone, so they are rendered
once per process and reused; forms showing a person's own values or errors are not cached.
Small pieces a page repeats (a day's heading, an entry's theme tags, the theme filter) are
rendered once per distinct value: they hold no one's words."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from functools import lru_cache
from types import SimpleNamespace
from typing import Any
from uuid import uuid4

from litestar.plugins.jinja import JinjaTemplateEngine
from markupsafe import Markup, escape

from shared.contracts import accounts, journal, stories
from shared.contracts.erasure import PLACEHOLDER_NAME, PLACEHOLDER_SUPPORTER
from shared.contracts.journal import THEMES
from shared.contracts.stories import THEMES as STORY_THEMES
from shared.contracts.stories import WARNINGS

LIMITS = SimpleNamespace(accounts=accounts, journal=journal, stories=stories)
"""The contracts' limits for the pages' ``maxlength`` and hints (``limits.stories.BODY_MAX``)."""


def register_template_helpers(engine: JinjaTemplateEngine) -> None:
    env = engine.engine
    env.auto_reload = False  # templates ship with the code: no file check on every render (restart to see edits)

    @lru_cache(maxsize=512)
    def blank_entry_fields(kind: str, for_name: str = "") -> Markup:
        """An empty entry form, the same for everyone (or everyone writing for one name)."""
        macro = env.get_template("journal/_forms.html.j2").module.entry_fields  # type: ignore[attr-defined]
        return Markup(macro(kind, {}, THEMES, f"{kind}-", None, for_name))  # noqa: S704 - rendered by Jinja with autoescape

    def entry_fields(kind: str, values: Any, errors: Any, for_name: str = "") -> Markup:
        """An entry form showing what a person sent and what needs another look."""
        macro = env.get_template("journal/_forms.html.j2").module.entry_fields  # type: ignore[attr-defined]
        return Markup(macro(kind, values, THEMES, f"{kind}-", errors, for_name))  # noqa: S704 - rendered by Jinja with autoescape

    env.globals["limits"] = LIMITS
    env.globals["blank_entry_fields"] = blank_entry_fields
    env.globals["entry_fields"] = entry_fields
    env.globals["day_heading"] = day_heading
    env.globals["theme_tags"] = theme_tags
    env.globals["theme_options"] = theme_options
    env.globals["date_label"] = date_label
    env.globals["story_cards"] = RenderedOnce(
        lambda items: env.get_template("stories/_card.html.j2").module.cards(items, STORY_THEMES, WARNINGS)  # type: ignore[attr-defined]
    )
    env.globals["once_field"] = once_field
    env.filters["xml"] = xml_text
    env.filters["bdi"] = bdi
    env.filters["opening"] = opening
    env.globals["nav_current"] = nav_current
    env.globals["entry_targets"] = entry_targets


# What XML 1.0 cannot carry at all, even escaped. The edge refuses these in every text field
# (``PLAIN_TEXT``), but a feed must stay readable with text stored before it did.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value: object) -> str:
    """Text for an XML document (the Atom feed), without the characters XML does not allow."""
    return _NOT_XML.sub("", str(value))


class RenderedOnce:
    """Renders a fragment once per immutable view object (a cached feed page is one object that
    many requests show). The object is held with its rendering, so its identity cannot be reused
    by another while the entry lives; the table is small and starts over when full."""

    def __init__(self, render: Callable[[Any], str], size: int = 256) -> None:
        self._render, self._size = render, size
        self._done: dict[int, tuple[object, Markup]] = {}

    def __call__(self, view: object) -> Markup:
        hit = self._done.get(id(view))
        if hit is not None and hit[0] is view:
            return hit[1]
        if len(self._done) >= self._size:
            self._done.clear()
        html = Markup(self._render(view))  # noqa: S704 - rendered by Jinja with autoescape
        self._done[id(view)] = (view, html)
        return html


_TEXT_LABELS = {"victory": "What went well", "setback": "What happened", "mood": "A note"}


@lru_cache(maxsize=16)
def entry_targets(kind: str, prefix: str) -> dict[str, tuple[str, str]]:
    """Where each field of an entry form is (the id the error summary links to) and what it is
    called, for the form whose ids start with ``prefix`` (``journal/_forms.html.j2``)."""
    targets = {
        "text": (f"{prefix}text", _TEXT_LABELS.get(kind, "Text")),
        "themes": (f"{prefix}themes-first", "Themes"),
        "occurred_on": (f"{prefix}day", "When"),
        "visibility": (f"{prefix}visibility-private", "Who can see it"),
    }
    if kind == "mood":
        targets["mood"] = (f"{prefix}mood-1", "Your mood")
    if kind == "setback":
        targets["helped"] = (f"{prefix}helped", "What helped")
    return targets


# the main navigation's addresses; a page belongs to the longest one its path starts with
NAV = (
    "/",
    "/journal",
    "/journal/progress",
    "/journal/supporters",
    "/stories",
    "/inbox",
    "/moderation",
    "/signin",
    "/signup",
    "/help",
)


@lru_cache(maxsize=1024)
def nav_current(path: str, href: str) -> Markup:
    """The ``aria-current`` of the main navigation's link to ``href`` on the page at ``path``:
    ``page`` on that very page, ``true`` on a page inside its section (a story, an edit), else none."""
    section = max((h for h in NAV if path == h or (h != "/" and path.startswith(h + "/"))), key=len, default="")
    if section != href:
        return Markup("")
    return Markup(' aria-current="page"' if path == href else ' aria-current="true"')  # noqa: S704 - fixed markup


def bdi(name: object) -> Markup:
    """A name a person chose, isolated from the text around it: a name in a right-to-left script
    (or ending in digits) does not pull the words and dates beside it into its own direction."""
    return Markup(f"<bdi>{escape(name)}</bdi>")  # noqa: S704 - escaped


_LEFT = frozenset({PLACEHOLDER_NAME, PLACEHOLDER_SUPPORTER})


def opening(name: str) -> str:
    """A name that opens a sentence: the words for someone who has left take a capital ("A former
    supporter proposes..."); a pseudonym stays exactly as its owner wrote it."""
    return name[:1].upper() + name[1:] if name in _LEFT else name


def once_field() -> Markup:
    """The idempotency key of one rendering of a creating form: sending the form twice (a double
    click, a retry after a timeout) creates one thing."""
    return Markup(f'<input type="hidden" name="idempotency_key" value="{uuid4()}">')  # noqa: S704 - a uuid only


@lru_cache(maxsize=4096)
def day_heading(day: dt.date) -> Markup:
    return Markup(f'<time datetime="{day.isoformat()}">{day:%A %-d %B %Y}</time>')  # noqa: S704 - a date only


@lru_cache(maxsize=4096)
def date_label(day: dt.date, fmt: str) -> str:
    """A date as words ("3 Mar 2026"); formatting dates is slow enough to do once each."""
    return day.strftime(fmt)


@lru_cache(maxsize=4096)
def theme_tags(tags: tuple[str, ...]) -> Markup:
    """An entry's themes as tags (only known themes have labels; anything else is escaped)."""
    return Markup(" ".join(f'<span class="tag">{escape(THEMES.get(t, t))}</span>' for t in tags))  # noqa: S704 - escaped


@lru_cache(maxsize=64)
def theme_options(selected: str) -> Markup:
    """The options of the theme filter, with the chosen one selected."""
    options = "".join(
        f'<option value="{escape(tag)}"{" selected" if tag == selected else ""}>{escape(label)}</option>'
        for tag, label in THEMES.items()
    )
    return Markup(f'<option value="">All</option>{options}')  # noqa: S704 - escaped
