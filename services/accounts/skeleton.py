"""Pseudonyms that look alike: one skeleton for names a reader cannot tell apart.

After Unicode's skeleton (UTS #39, section 4): the name in NFKC with its spacing collapsed, each
character replaced by its prototype from ``confusables.txt`` (a Cyrillic "М" by a Latin "M", a
zero by an "O", an "m" by "rn"), then case folded and mapped once more (folding can make a new
look-alike, as "Α" becomes "α"). "Мо" (Cyrillic), "Mo" and "MO" share one skeleton. It is a
key for comparing names, never shown to anyone.
"""

from __future__ import annotations

import functools
import unicodedata
from pathlib import Path

DATA = Path(__file__).with_name("confusables.txt")


@functools.cache
def _prototypes() -> dict[int, str]:
    table: dict[int, str] = {}
    for line in DATA.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            source, prototype = line.split("\t")
            table[int(source, 16)] = "".join(chr(int(cp, 16)) for cp in prototype.split())
    return table


def _mapped(text: str) -> str:
    return unicodedata.normalize("NFD", unicodedata.normalize("NFD", text).translate(_prototypes()))


def skeleton(pseudonym: str) -> str:
    collapsed = " ".join(unicodedata.normalize("NFKC", pseudonym).split())
    return _mapped(_mapped(collapsed).casefold())
