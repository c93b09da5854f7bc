"""The moderation queue's rows as HTML, written in Python.

The queue page shows twenty lines; as a Jinja loop they were most of the page's rendering, and
a moderator's page is measured by its slowest requests (BENCHMARKS.md). Every value that comes
from a person (a title, a pseudonym) goes through ``html.escape``; only fixed markup and ids are
written as they are. The page's template keeps everything else.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from litestar.plugins.jinja import JinjaTemplateEngine
from markupsafe import Markup

from shared.contracts.moderation import QueueLine
from shared.contracts.stories import REPORTS as REPORT_REASONS

# why an item is in the queue, as a moderator reads it
REVIEW_WORDS = {
    "new": "New, not yet shown",
    "post": "Already shown (trusted member)",
    "reports": "Reported",
    "appeal": "Appeal",
    "": "Not in the queue",
}
EMPTY = '<tr><td colspan="4">Nothing is waiting. Thank you.</td></tr>'


def register_queue(engine: JinjaTemplateEngine) -> None:
    engine.engine.globals["queue_rows"] = queue_rows


def age(seconds: int) -> str:
    """How long an item has waited, in the largest whole unit."""
    if seconds < 3600:
        return f"{max(1, seconds // 60)} min"
    if seconds < 86400:
        return f"{seconds // 3600} h"
    return f"{seconds // 86400} d"


def queue_rows(items: Iterable[QueueLine]) -> Markup:
    rows = "".join(_row(item) for item in items)
    return Markup(rows or EMPTY)  # noqa: S704 - every value is escaped below


def _row(item: QueueLine) -> str:
    urgent = '<strong class="tag urgent">Urgent</strong> ' if item.urgent else ""
    reply = "Reply: " if item.kind == "reply" else ""
    why = escape(REVIEW_WORDS.get(item.review, item.review))
    if item.reports:
        reasons = ", ".join(f"{escape(REPORT_REASONS.get(r.reason, r.reason))} ({r.count})" for r in item.reports)
        why += f" · {reasons}"
    if item.hidden:
        why += " · hidden meanwhile"
    if item.claimed_by_me:
        claim = "You"
    elif item.claimed_by_other:
        claim = escape(item.claimed_by_name)
    elif item.decided_by_me:
        claim = "Not you (your decision)"
    else:
        claim = "Free"
    row = '<tr class="urgent">' if item.urgent else "<tr>"
    return (
        f"{row}<td>{urgent}"
        f'<a href="/moderation/items/{item.id}">{reply}{escape(item.title)}</a>'
        f' <span class="meta">by {escape(item.pseudonym)}</span></td>'
        f"<td>{why}</td><td>{age(item.age_seconds)}</td><td><bdi>{claim}</bdi></td></tr>"
    )
