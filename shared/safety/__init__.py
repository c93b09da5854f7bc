"""Crisis screening: one set of rules for every place people write (journal, stories, replies),
backed by a learned layer for wording the rules have not seen (``combined.py``).

Screening runs when text is saved, in a worker thread (the learned layer is CPU work). A match is shown only to the writer, as a calm message with
helplines; it never notifies anyone else. Stories and replies that match also go to the top of
the moderation queue. The rules are deliberately broad: a false alarm costs a kind message, a
miss can cost far more.
"""

from __future__ import annotations

from shared.safety.combined import screen_text
from shared.safety.personal import Finding, describe, find_personal_details
from shared.safety.screening import Level, Screening

CRISIS_MESSAGE = (
    "It sounds like things might be really hard right now. You don't have to face this alone. "
    "If you are in danger or thinking about ending your life, please call or text 988 (in the US), "
    "or your local emergency number, now. Your words are saved and only you can see this message."
)


def screen(*texts: str | None, by_supporter: bool = False) -> bool:
    """True when any of the texts is urgent (present risk); ``by_supporter`` when a supporter wrote
    them about the member they support (see ``screen_text``)."""
    return screen_text(*texts, by_supporter=by_supporter).urgent


__all__ = [
    "CRISIS_MESSAGE",
    "Finding",
    "Level",
    "Screening",
    "describe",
    "find_personal_details",
    "screen",
    "screen_text",
]
