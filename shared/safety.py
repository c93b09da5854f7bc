"""Crisis screening: one set of rules for every place people write (journal, stories, replies).

Screening runs when text is saved. A match is shown only to the writer, as a calm message with
helplines; it never notifies anyone else. Stories and replies that match also go to the top of
the moderation queue. The rules are deliberately broad: a false alarm costs a kind message, a
miss can cost far more.
"""

from __future__ import annotations

import re
import unicodedata

_PHRASES = (
    r"kill(ing)? my ?self",
    r"end(ing)? (my|it) (life|all)",
    r"end it all",
    r"take my (own )?life",
    r"suicid(e|al)",
    r"want(ed)? to die",
    r"wish i (was|were) dead",
    r"better off (dead|without me)",
    r"no reason to (live|go on)",
    r"(hurt|harm|cut)(ing)? my ?self",
    r"self[- ]?harm",
    r"overdos(e|ing)",
    r"can'?t go on",
    r"don'?t want to (be here|wake up|live)",
    r"not (want|wanting) to be alive",
)
_PATTERN = re.compile(r"\b(" + "|".join(_PHRASES) + r")\b", re.IGNORECASE)

CRISIS_MESSAGE = (
    "It sounds like things might be really hard right now. You don't have to face this alone. "
    "If you are in danger or thinking about ending your life, please call or text 988 (in the US), "
    "or your local emergency number, now. Your words are saved and only you can see this message."
)


def _normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).replace("\u2019", "'")
    return " ".join(text.split())


def screen(*texts: str | None) -> bool:
    """True when any of the texts contains crisis language."""
    return any(_PATTERN.search(_normalize(t)) for t in texts if t)
