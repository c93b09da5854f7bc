"""What the journal's aggregates share: the limits of what people write, and small helpers.

Text is validated here in plain form; handlers seal it with the journal's key afterwards.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TypeVar

from shared.contracts.journal import ENTRY_TEXT_MAX as TEXT_MAX
from shared.contracts.journal import NOTE_MAX, THEMES_MAX
from shared.contracts.vocabulary import KINDS, RESOLUTIONS, ROLES, STAGES, VISIBILITIES
from shared.errors import FieldError, Invalid, NotFound

__all__ = ["KINDS", "NOTE_MAX", "RESOLUTIONS", "ROLES", "STAGES", "TEXT_MAX", "THEMES_MAX", "VISIBILITIES"]

OLDEST = dt.timedelta(days=366 * 5)

T = TypeVar("T")
Seal = Callable[[str], str]
"""Seals plain text with the journal's key; called only once every check has passed."""


def check_short_text(text: str) -> None:
    """A note or an observation: a few words, at most ``NOTE_MAX`` characters."""
    if not text.strip():
        raise Invalid(
            "Please write a few words.", errors=(FieldError(field="text", message="Please write a few words."),)
        )
    if len(text.strip()) > NOTE_MAX:
        message = f"Please keep it to {NOTE_MAX} characters or fewer."
        raise Invalid(message, errors=(FieldError(field="text", message=message),))


def required(state: T | None) -> T:
    """The state an event follows from; an event without it is a stream out of order."""
    if state is None:
        raise NotFound("We couldn't find that.")
    return state
