"""The timeline's items as HTML, written in Python.

A journal page shows up to twenty items, and as a Jinja loop each cost about 20 µs to render,
most of the page's rendering (BENCHMARKS.md). Here an item costs a few µs. Every value that
comes from a person or a request goes through ``html.escape`` (a person's name through ``bdi``,
which escapes it and isolates its direction); only fixed markup, ids and already-safe fragments
(the theme tags, the hidden form fields) are written as they are.
The page's template keeps everything else.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from html import escape
from uuid import UUID

import msgspec
from litestar.plugins.jinja import JinjaTemplateEngine
from markupsafe import Markup

from shared.contracts import journal as j
from shared.contracts.journal import EntryView, TimelineItem
from web.templating import bdi, once_field, theme_tags

# what each kind of item is called, on the timeline and in its filter
KIND_LABELS = {
    "victory": "Victory",
    "setback": "Setback",
    "mood": "Mood check-in",
    "observation": "Progress noticed",
    "handover": "Handover",
}


class Card(msgspec.Struct, frozen=True, kw_only=True):
    """What every item of one timeline page needs to know about the page and its reader."""

    owner: bool  # the reader owns the journal
    reader_id: UUID  # the reader's member id
    name: str  # the journal owner's name
    base: str  # the journal's address
    here: str  # this page's address with its filters, ready for one more parameter
    here_plain: str  # this page's address with its filters
    note_for: str | None  # the entry whose note form is open
    ask_retract: str | None  # the entry whose retraction is being asked about
    back_fields: Markup  # the hidden fields of every per-entry form
    step_words: Callable[[TimelineItem], str]


def register_timeline(engine: JinjaTemplateEngine) -> None:
    engine.engine.globals["timeline_card"] = Card
    engine.engine.globals["timeline_items"] = timeline_items


def timeline_items(items: Iterable[TimelineItem], card: Card) -> Markup:
    return Markup("".join(_item(item, card) for item in items))  # noqa: S704 - every value is escaped below


def _item(item: TimelineItem, card: Card) -> str:
    if item.kind == "handover":
        return f'<li class="step">{escape(card.step_words(item))}</li>'
    label = escape(KIND_LABELS.get(item.kind, item.kind))
    if item.entry is None:
        return f'<li class="item kind-{escape(item.kind)}"><span class="badge">{label}</span>{_noticed(item)}</li>'
    e, eid = item.entry, str(item.entry.entry_id)
    return (
        f'<li class="item kind-{escape(item.kind)}" id="e-{eid}"><span class="badge">{label}</span>'
        f"{_body(e)}{_meta(e, card)}{_actions(e, eid, card)}{_notes(e)}{_note_form(eid, card)}</li>"
    )


def _noticed(item: TimelineItem) -> str:
    text = f'<p class="text">{escape(item.text)}</p>'
    if item.kind != "observation":
        return text
    private = ' · <span class="private">kept just for you</span>' if item.private else ""
    by = bdi(item.by) if item.by else "a supporter"
    return f'{text}<p class="meta">Noticed by {by}{private}</p>'


def _body(e: EntryView) -> str:
    parts = []
    if e.kind == "mood":
        parts.append(f'<p class="mood">Mood {e.mood} of 5</p>')
    if e.text:
        parts.append(f'<p class="text">{escape(e.text)}</p>')
    if e.helped:
        parts.append(f'<p class="helped"><strong>What helped:</strong> {escape(e.helped)}</p>')
    if e.themes:
        parts.append(f'<p class="tags">{theme_tags(e.themes)}</p>')
    return "".join(parts)


def _meta(e: EntryView, card: Card) -> str:
    mine = e.author_id == card.reader_id
    parts = []
    if e.on_behalf:
        parts.append(f"Written by {bdi(e.author_name)}{' for you' if card.owner else ''}")
    elif not mine:
        parts.append(f"Written by {bdi(e.author_name)}")
    if e.visibility == "private":
        who = "you" if card.owner else (f"{bdi(card.name)} and you" if mine else bdi(card.name))
        parts.append(f" · only {who}")
    if e.edited:
        parts.append(" · edited")
    if e.needs_confirmation:
        whose = "your" if card.owner else f"{bdi(card.name)}'s"
        parts.append(" · confirmed" if e.confirmed else f" · waiting for {whose} confirmation")
    return f'<p class="meta">{"".join(parts)}</p>'


def _actions(e: EntryView, eid: str, card: Card) -> str:
    parts = []
    if card.owner and e.needs_confirmation and not e.confirmed:
        parts.append(
            f'<form method="post" action="/journal/entries/{eid}/confirm">{card.back_fields}'
            '<button type="submit">Confirm this entry</button></form>'
        )
    here = escape(card.here)
    if card.owner or e.author_id == card.reader_id:
        parts.append(f'<a href="/journal/entries/{eid}/edit?back={escape(card.base)}">Edit</a>')
        if card.ask_retract != eid:
            parts.append(f'<a href="{here}retract={eid}#e-{eid}">Retract</a>')
    if card.note_for != eid:
        parts.append(f'<a href="{here}note={eid}#e-{eid}" class="quiet">Add a note</a>')
    actions = f'<div class="actions">{"".join(parts)}</div>'
    if card.ask_retract != eid:
        return actions
    return (
        f'{actions}<div class="ask" role="group" aria-label="Retract this entry">'
        "<p>Retract this entry? It leaves the timeline for good; your history keeps a record that it was"
        " retracted.</p>"
        f'<form method="post" action="/journal/entries/{eid}/retract" class="buttons">{card.back_fields}'
        '<button type="submit" class="secondary">Yes, retract it</button> '
        f'<a href="{escape(card.here_plain)}#e-{eid}">Keep it</a></form></div>'
    )


def _notes(e: EntryView) -> str:
    if not e.notes:
        return ""
    notes = "".join(f"<li>{bdi(n.author_name)}: {escape(n.text)}</li>" for n in e.notes)
    return f'<ul class="notes">{notes}</ul>'


def _note_form(eid: str, card: Card) -> str:
    if card.note_for != eid:
        return ""
    return (
        f'<form method="post" action="/journal/entries/{eid}/note" class="note-form">{card.back_fields}{once_field()}'
        f'<label for="note-{eid}">Your note</label>'
        f'<textarea id="note-{eid}" name="text" rows="2" maxlength="{j.NOTE_MAX}" required autofocus></textarea>'
        '<button type="submit" class="secondary">Add note</button> '
        f'<a href="{escape(card.here_plain)}#e-{eid}">Cancel</a></form>'
    )
