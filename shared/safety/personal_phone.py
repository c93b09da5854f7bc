"""Phone numbers in national and international forms, also spaced out, with dots, written in
words ("oh seven seven double oh"), digits and words mixed, or with the letter O for zero, and
handed over in parts ("07700 then 900 then 123", "0770/090/0817", "Seven. Seven. Zero.", "starts
0772 and ends 8812, middle is 400", "07700, then nine hundred, and the last bit is 461"), or a chat
opened on one ("wa.me/447700900318").
Counting ("1 2 3 4 5 6 7 8 9 10", "2 4 6 8", "ten, nine, eight ..."), a draw, a helpline's
freephone number, an ISBN, and groups no one dials with no word of calling near them ("180 140 100
60 45" at darts) are not a number."""

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
# words that hand over the next part of a number: "then", "area code", "and the last bit is", "and
# ends", "middle is", "next three are", "the last three digits are", "and then finally", "plus"
_WHICH_PART = (
    r"(?:the\s+)?(?:last|end|middle|next|rest|first|final)"
    r"(?:\s+(?:bit|part|digits|of\s+it|one|two|three|four|five|six)){0,2}(?:\s+(?:is|are)|['’]s)?"
)
_NEXT_PART = (
    r"(?:(?:(?:and|then|finally|plus|after\s+that)\s+){0,2}"
    r"(?:then|finally|plus|after\s+that|area\s+code|(?:it\s+)?(?:ends|finishes|starts|begins)(?:\s+(?:with|in|on))?|"
    rf"{_WHICH_PART}))"
)
# between spoken parts: spaces, commas, dashes, full stops ("Seven. Seven. Zero."), or those words
# ("five five five, oh one four six, area code six one seven")
_BETWEEN = rf"(?:[\s,.;\-]+(?:{_NEXT_PART}[\s,:]+)?)"
_HANDING = re.compile(_NEXT_PART, re.IGNORECASE)
_SPOKEN = re.compile(rf"(?<![\w])\+?{_NUMBER_WORD}(?:{_BETWEEN}{_NUMBER_WORD})+(?![\w])", re.IGNORECASE)
# digits handed over in groups of three or more: "07700 then 900 then 123", "0770/090/0817",
# "07700 — 900 — 733", "917, then 555, then 0184", "0161 496. Then 0738."
_HANDED = re.compile(
    rf"(?<![\w/.])\+?\d{{3,8}}(?:(?:\s*[/|+—–]\s*|\s+-\s+|_|\s+dash\s+|[,.]?\s+{_NEXT_PART}[\s,:]+|,?\s+followed\s+by\s+|"
    r",\s*|\s)\d{3,8}){1,3}(?![\w/])",
    re.IGNORECASE,
)
# a chat opened on a number: "wa.me/447700900318", "api.whatsapp.com/send?phone=447700900318"
_CHAT_LINK = re.compile(r"\b(?:wa\.me/|whatsapp\.com/send/?\?phone=)\+?\d{7,15}\b", re.IGNORECASE)
_AREA_CODE = re.compile(r"area\s+code\s*$", re.IGNORECASE)
_LIST = re.compile(r"\d\s*[,.]\s*\d|\d-\d+,")
_THOUSANDS = re.compile(r"(?<![\d,])\d{1,3}(?:,\d{3})+(?![\d,])")  # "10,000 steps": a count
# what is said around a number handed over in parts: room numbers and scores are not rung
_CALLING = re.compile(
    r"\b(?:call|ring|phone|text|txt|sms|dial|digits|mobile|cell|landline|whats\s*app|buzz|reach|message|msg|contact)"
    r"(?:s|es|ed|ing)?\b|\b(?:cel|tel|mob|ph|hmu|area\s+code|(?:my|the|his|her|their|our)\s+number|number(?:['’]s|\s+is))\b",
    re.IGNORECASE,
)
_SERVICE = re.compile(
    r"0(?:800|808|300|330|333|344|345|370|500|845|870)|1?8(?:00|33|44|55|66|77|88)\d{7}$|1[38]00\d{6}$"
)
_DRAW = re.compile(r"\b(?:lotto|lottery|euro\s*millions|powerball|mega\s*millions|bingo|syndicate|draw|balls?)\b", re.I)
# what a number named so is: "ref 0049 3321 7765", "order no. 0770 0900 123", "tracking: ..."
_REFERENCE = re.compile(
    r"\b(?:ref(?:erence)?|order|invoice|tracking|parcel|account|acct|booking|card|member(?:ship)?|policy|case|ticket|"
    r"serial|customer|claim|nhs|patient|id)(?:\s+(?:no|number|num|code|id))?\.?\s*[:#]?\s*$",
    re.IGNORECASE,
)
_TIMES = re.compile(r"(?<!\d)\d{1,2}[:.][0-5]\d(?!\d)")  # "7.00, 7.10, 7.20": alarms, not a number


def _counting(parts: list[str]) -> bool:
    """Numbers the same step apart from the first to the last ("2 4 6 8 10 12", "100 105 110
    115"), or mostly one apart counted again from the start ("one two three four, five six seven
    eight, one two"): counting, not dialling."""
    values = [int(p) if p.isdigit() else _VALUES.get(p, -99) for p in parts]
    steps = [b - a for a, b in itertools.pairwise(values)]
    same = len(values) >= 4 and len(set(steps)) == 1 and steps[0] != 0 and (len(values) >= 5 or abs(steps[0]) > 1)
    return same or (len(values) >= 8 and steps[0] == 1 and sum(s == 1 for s in steps) >= 0.75 * len(steps))


def _drawn(text: str, start: int, end: int, groups: list[str]) -> bool:
    """Numbers of one or two digits, none twice, beside a word of the draw ("lottery numbers this
    week: 03 11 19 27 35", "bingo calls 7 22 45 61 88 3 19"): balls drawn, not a number rung."""
    balls = all(g.isdigit() and len(g) <= 2 for g in groups) and len(set(groups)) == len(groups)
    return balls and bool(_DRAW.search(text, max(0, start - 60), end + 60))


def _service(raw: str) -> bool:
    """A freephone or national-rate line ("0800 58 58 58", "0300 304 7000", "1-800-273-8255",
    "1300 22 4636") is a helpline's or a firm's, never a person's own; and an ISBN is a book's."""
    digits = "".join(ch for ch in raw if ch.isdigit())
    return bool(_SERVICE.match(digits)) or (
        digits.startswith(("978", "979")) and len(digits) in (10, 13) and "-" in raw
    )


def _clock(groups: list[str]) -> bool:
    """Times of day on a 24-hour clock: "0715. Then 0745." """
    return all(len(g) == 4 and g.isdigit() and int(g[:2]) < 24 and int(g[2:]) < 60 for g in groups)


def _no_ones_own(text: str, m: re.Match[str], groups: list[str]) -> bool:
    """What every shape of number is asked: counted, drawn, a helpline's or a book's number, or
    named as a reference, an order or an account, so no one's own to ring."""
    labelled = _REFERENCE.search(text, max(0, m.start() - 24), m.start())
    return _counting(groups) or _drawn(text, m.start(), m.end(), groups) or _service(m.group()) or bool(labelled)


def _numeric(text: str) -> list[Span]:
    found = []
    for m in _PHONE.finditer(text):
        raw = m.group().strip()
        digits = sum(ch.isdigit() for ch in raw)
        least = 8 if raw.startswith(("+", "00", "(")) else 9
        if not least <= digits <= 15 or _DATE_LIKE.match(raw) or _YEARS.match(raw):
            continue
        groups = _DIGITS.findall(raw)
        # "180 140 100 60 45" at darts, "2041 3387 1196" on a library card: groups that start as no
        # number is dialled, with no word of calling near them (a US number in threes and a four is one)
        undialled = not raw.startswith(("0", "+", "(")) and len(groups) > 1 and [len(g) for g in groups] != [3, 3, 4]
        quiet = undialled and not _CALLING.search(text, max(0, m.start() - 60), m.end() + 60)
        if not (quiet or _no_ones_own(text, m, groups)):
            found.append((m.start(), m.start() + len(raw)))
    return found


def _spoken(text: str) -> list[Span]:
    """Runs of digits and number words that add up to a phone number's length, with a word in them."""
    found = []
    for m in _SPOKEN.finditer(text):
        if _THOUSANDS.search(m.group()) or len(_TIMES.findall(m.group())) > 1:
            continue
        said = _HANDING.sub(" ", m.group().lower())  # "the last three are": no part of the number
        parts = [p for p in _PARTS.findall(said) if p.isdigit() or p in _LENGTHS]
        words = [p for p in parts if not p.isdigit()]
        digits = sum(len(p) if p.isdigit() else _LENGTHS[p] for p in parts)
        # "0 7 7 0 0 9 0 0 1 2 3", "06 12 34 56 78"; not a list ("4, 17, 23, 31, 42, 49") or scores ("3-1, 2-0")
        spaced = not words and all(len(p) <= 2 for p in parts) and not _LIST.search(m.group())
        real_word = any(p not in ("o", "oh") for p in words)
        # "07700900 then 7 then 4 then 9": parts of a number dialled, handed over where the writer
        # speaks of calling (not "0715, then 0745, then 0815" for trains)
        handed = (
            m.group().startswith(("0", "+"))
            and bool(_HANDING.search(m.group()))
            and not _clock(parts)
            and bool(_CALLING.search(text, max(0, m.start() - 60), m.end() + 60))
        )
        if (real_word or spaced or handed) and 9 <= digits <= 15 and not _no_ones_own(text, m, parts):
            found.append(m.span())
    return found


def _handed(text: str) -> list[Span]:
    """Groups of digits handed over one after another, where the writer speaks of calling, that
    make a number: ten digits or more, or one that starts as a number dialled does ("0", "+", an
    area code); not "Room 214, then 216, then 301"."""
    found = []
    for m in _HANDED.finditer(text):
        groups = _DIGITS.findall(m.group())
        digits = sum(len(g) for g in groups)
        dialled = m.group().startswith(("0", "+")) or bool(_AREA_CODE.search(text, max(0, m.start() - 12), m.start()))
        listed = bool(_LIST.search(m.group()))  # "999, 111, 116 123": helplines in a list, unless dialled
        counts = len({len(g) for g in groups}) == 1  # "11000 then 13500 then 15200": counts, unless dialled
        clock = _clock(groups)  # "0715. Then 0745."
        if (
            9 <= digits <= 15
            and (dialled or (digits >= 10 and not listed and not counts))
            and not clock
            and not _no_ones_own(text, m, groups)
            and _CALLING.search(text, max(0, m.start() - 60), m.end() + 60)
            and not _YEARS.match(" ".join(groups))
        ):
            found.append(m.span())
    return found


def find(text: str) -> list[Span]:
    """``text`` is read as written, and again with look-alike letters read as digits (same length)."""
    digits = _LOOKALIKE.sub(lambda m: m.group().translate(_AS_DIGITS), text)
    found = _numeric(text) + _spoken(text) + _handed(text) + (_numeric(digits) if digits != text else [])
    return found + [m.span() for m in _CHAT_LINK.finditer(text)]
