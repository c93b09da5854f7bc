"""Messages rendered from Jinja2 templates: a plain-text and an HTML body for each kind.

A service keeps ``<kind>.txt.j2`` and ``<kind>.html.j2`` in a folder of its own; the text
template sets the subject (``{% set subject = "..." %}``). Both extend the kernel's layouts
(``mail/layout.txt.j2``, ``mail/layout.html.j2``), which sign off in the product's voice and
carry the crisis line. The HTML body is escaped; the text body is not (it is not HTML).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import msgspec
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PrefixLoader, StrictUndefined

KERNEL = Path(__file__).with_name("templates")


class Rendered(msgspec.Struct, frozen=True, kw_only=True):
    subject: str
    text: str
    html: str


class MailTemplates:
    def __init__(self, folder: Path) -> None:
        loader = ChoiceLoader([FileSystemLoader(folder), PrefixLoader({"mail": FileSystemLoader(KERNEL)})])
        common: dict[str, Any] = {"loader": loader, "undefined": StrictUndefined, "keep_trailing_newline": True}
        self._text = Environment(autoescape=False, **common)  # noqa: S701 - plain text, never shown as HTML
        self._html = Environment(autoescape=True, **common)

    def render(self, kind: str, **context: Any) -> Rendered:
        text_template = self._text.get_template(f"{kind}.txt.j2")
        subject = str(text_template.make_module(context).subject)  # type: ignore[attr-defined]
        return Rendered(
            subject=subject,
            text=text_template.render(subject=subject, **context),
            html=self._html.get_template(f"{kind}.html.j2").render(subject=subject, **context),
        )
