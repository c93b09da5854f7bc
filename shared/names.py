"""Pseudonyms as keys: the one rule for deciding that two typed names are the same name."""

from __future__ import annotations

import unicodedata


def pseudonym_key(pseudonym: str) -> str:
    """The look-up key of a pseudonym: NFC-normalised, spacing collapsed, case folded.

    "Zoë" typed with a combining diaeresis, "ZOË" and " zoë " are one name. Case folding can
    decompose a character, so the result is normalised once more.
    """
    collapsed = " ".join(unicodedata.normalize("NFC", pseudonym).split())
    return unicodedata.normalize("NFC", collapsed.casefold())
