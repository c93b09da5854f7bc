"""Phone numbers in national and international forms, also spaced out, with dots, written in
words ("oh seven seven double oh"), digits and words mixed, or with the letter O for zero, and
handed over in parts ("07700 then 900 then 123", "0770/090/0817", "Seven. Seven. Zero.").
Counting ("1 2 3 4 5 6 7 8 9 10", "ten, nine, eight ...") is not a number."""

from __future__ import annotations

import itertools
import re

from shared.safety.personal_shapes import Span

_PHONE = re.compile(r"(?<![\w/.-])(?:\+|00)?\(?\d[\d\s().\-]{6,20}\d(?![\w/-])")
_YEARS = re.compile(r"^(?:(?:19|20)\d\d[\s,-]+)+(?:19|20)\d\d$")
_DATE_LIKE = re.compile(r"^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}$")
# a word of digits with the letters O for zero and l or I for one in it: "O77OO", "9OO", "l23"
_LOOKALIKE = re.compile(r"(?<![\w])(?=[0-9OoIl]*\d)[0-9OoIl]{2,}(?![\w])")
_DIGITS, _PARTS = re.compile(r"\d+"), re.compile(r"\d+|[a-z]+")
_AS_DIGITS = str.maketrans("OoIl", "0011")
_VALUES = {"zero": 0, "oh": 0, "o": 0, "nought": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
           "six": 6, "seven": 7, "eight": 8, "nine": 9}  # fmt: skip
_LENGTHS = {**dict.fromkeys(_VALUES, 1), "double": 1, "triple": 2, "hundred": 2}  # digits a word stands for
_NUMBER_WORD = r"(?:\d+|" + "|".join(_LENGTHS) + r")"
# between the parts: spaces, commas, dashes, slashes, full stops ("Seven. Seven. Zero."), or words
# that hand over the next part ("07700 then 900 then 123", "555 0146, area code 617")
_BETWEEN = r"(?:[\s,./\-–—]+(?:(?:then|area\s+code)[\s,:]+)?)"
_SPOKEN = re.compile(rf"(?<![\w])\+?{_NUMBER_WORD}(?:{_BETWEEN}{_NUMBER_WORD})+(?![\w])", re.IGNORECASE)
_THOUSANDS = re.compile(r"(?<![\d,])\d{1,3}(?:,\d{3})+(?![\d,])")  # "10,000 steps": a count
# what is said around a number handed over in parts: room numbers and scores are not rung
_CALLING = re.compile(
    r"\b(?:call|ring|phone|text|txt|dial|number|no\.|mobile|cell|landline|whats\s*app|area\s+code|buzz|reach)",
    re.IGNORECASE,
)
_TIMES = re.compile(r"(?<!\d)\d{1,2}[:.][0-5]\d(?!\d)")  # "7.00, 7.10, 7.20": alarms, not a number


def _counting(parts: list[str]) -> bool:
    """Numbers one apart, up or down, from the first to the last: counting, not dialling."""
    values = [int(p) if p.isdigit() else _VALUES.get(p, -99) for p in parts]
    steps = {b - a for a, b in itertools.pairwise(values)}
    return len(values) >= 5 and len(steps) == 1 and steps <= {1, -1}


def _numeric(text: str) -> list[Span]:
    found = []
    for m in _PHONE.finditer(text):
        raw = m.group().strip()
        digits = sum(ch.isdigit() for ch in raw)
        least = 8 if raw.startswith(("+", "00", "(")) else 9
        if not least <= digits <= 15 or _DATE_LIKE.match(raw) or _YEARS.match(raw):
            continue
        if not _counting(_DIGITS.findall(raw)):
            found.append((m.start(), m.start() + len(raw)))
    return found


def _spoken(text: str) -> list[Span]:
    """Runs of digits and number words that add up to a phone number's length, with a word in them."""
    found = []
    for m in _SPOKEN.finditer(text):
        if _THOUSANDS.search(m.group()) or len(_TIMES.findall(m.group())) > 1:
            continue
        parts = [p for p in _PARTS.findall(m.group().lower()) if p.isdigit() or p in _LENGTHS]
        words = [p for p in parts if not p.isdigit()]
        digits = sum(len(p) if p.isdigit() else _LENGTHS[p] for p in parts)
        spaced = not words and all(len(p) <= 2 for p in parts) and not re.search(r"[/.]", m.group())  # "0 7 7 0 0 9"
        real_word = any(p not in ("o", "oh") for p in words)
        handed = (  # "my number's 07700 / 900 / 123"
            len(_DIGITS.findall(m.group())) > 1
            and not _YEARS.match(" ".join(parts))
            and bool(_CALLING.search(text, max(0, m.start() - 60), m.end() + 60))
        )
        if (real_word or spaced or handed) and 9 <= digits <= 15 and not _counting(parts):
            found.append(m.span())
    return found


def find(text: str) -> list[Span]:
    """``text`` is read as written, and again with look-alike letters read as digits (same length)."""
    digits = _LOOKALIKE.sub(lambda m: m.group().translate(_AS_DIGITS), text)
    return _numeric(text) + _spoken(text) + (_numeric(digits) if digits != text else [])
