"""Template helpers. The blank entry forms are the same for everyone, so they are rendered
once per process and reused; forms showing a person's own values or errors are not cached."""

from __future__ import annotations

from functools import lru_cache
from uuid import uuid4

from litestar.plugins.jinja import JinjaTemplateEngine
from markupsafe import Markup

from shared.contracts.journal import THEMES


def register_template_helpers(engine: JinjaTemplateEngine) -> None:
    env = engine.engine
    env.auto_reload = False  # templates ship with the code: no file check on every render (restart to see edits)

    @lru_cache(maxsize=8)
    def blank_entry_fields(kind: str) -> Markup:
        macro = env.get_template("journal/_forms.html.j2").module.entry_fields  # type: ignore[attr-defined]
        return Markup(macro(kind, {}, THEMES, f"{kind}-"))  # noqa: S704 - rendered by Jinja with autoescape

    env.globals["blank_entry_fields"] = blank_entry_fields
    env.globals["once_field"] = once_field


def once_field() -> Markup:
    """The idempotency key of one rendering of a creating form: sending the form twice (a double
    click, a retry after a timeout) creates one thing."""
    return Markup(f'<input type="hidden" name="idempotency_key" value="{uuid4()}">')  # noqa: S704 - a uuid only
