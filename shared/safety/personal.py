"""Personal details in text meant for the peer feed: e-mail addresses (also spelled out),
phone numbers in national and international forms (also spaced out or written in words), links
or handles of personal profiles (also "I'm jo_99 on tiktok"), postal addresses (a number and a
street, or a postcode), and full names offered for looking someone up. Each finding says what it
is and where, so a page can point to it."""

from __future__ import annotations

import re

import msgspec

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_OPEN, _CLOSE = r"[\(\[\{<]\s*", r"\s*[\)\]\}>]"
_SPELLED_EMAIL = re.compile(
    rf"[\w.+-]+\s*(?:{_OPEN}at{_CLOSE}|\s+at\s+)\s*[\w-]+\s*(?:(?:{_OPEN}dot{_CLOSE}|\s+dot\s+)\s*[\w-]+)+",
    re.IGNORECASE,
)
_PHONE = re.compile(r"(?<![\w/.-])(?:\+|00)?\(?\d[\d\s().\-]{6,20}\d(?![\w/-])")
_YEARS = re.compile(r"^(?:(?:19|20)\d\d[\s,-]+)+(?:19|20)\d\d$")
_DATE_LIKE = re.compile(r"^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}$")
_SOCIAL = (
    r"facebook\.com|fb\.com|instagram\.com|instagr\.am|twitter\.com|x\.com|tiktok\.com|linkedin\.com|"
    r"reddit\.com/u(?:ser)?|youtube\.com/(?:@|c/|channel/|user/)|snapchat\.com|t\.me|threads\.net|"
    r"bsky\.app/profile|mastodon\.\w+|wa\.me|onlyfans\.com|pinterest\.com|tumblr\.com|twitch\.tv"
)
_PROFILE = re.compile(rf"(?:https?://)?(?:www\.|m\.)?(?:{_SOCIAL})/[^\s)\]]+", re.IGNORECASE)
_HANDLE = re.compile(r"(?<![\w@.])@[A-Za-z0-9_][A-Za-z0-9_.]{1,29}\b")
_PLATFORMS = (
    r"snap(?:chat)?|insta(?:gram)?|ig|tiktok|twitter|x|discord|telegram|kik|whatsapp|reddit|tumblr|threads|"
    r"bluesky|bsky|twitch|youtube|signal|wechat|line|facebook|fb|mastodon|steam|xbox|psn"
)
# "my discord is jo_smith", "add me on snapchat: jo22", "snap: jo22"; "u/jo on reddit"; "jo#1234"
_PLATFORM_HANDLE = re.compile(
    rf"(?:\bmy\s+(?:{_PLATFORMS})(?:\s+(?:handle|name|username|user ?name|id|account|tag))?\s*(?:\bis\b|:|=|-)"
    rf"|\b(?:add|find|follow|message|dm|text|reach|hit)\s+me\s+(?:up\s+)?(?:on|at)\s+(?:{_PLATFORMS})\s*(?::|-|,)?"
    rf"|\b(?:{_PLATFORMS})\s*(?:handle|name|username|id)?\s*(?::|-(?=\s)))"
    r"\s*@?(?P<handle>[A-Za-z0-9_.#-]{2,32}[A-Za-z0-9_#])",
    re.IGNORECASE,
)
# "I'm jo.smith99 on tiktok": a handle (with a digit, dot or underscore in it) before its network
_HANDLE_ON = re.compile(
    rf"\b(?:i'?m|i am|find me as|search)\s+@?(?P<handle>(?=[A-Za-z0-9_.]*[0-9_.])[A-Za-z0-9_.]{{3,30}}[A-Za-z0-9_])"
    rf"\s+(?:over\s+)?on\s+(?:{_PLATFORMS})\b",
    re.IGNORECASE,
)
_REDDIT_USER = re.compile(r"(?<![\w/])/?u/[A-Za-z0-9_-]{3,20}\b")
_DISCORD_TAG = re.compile(r"(?<![\w#])[A-Za-z0-9_.]{2,32}#\d{4}\b")
_SPELLED_DOMAIN_TAIL = re.compile(r"(?:com|org|net|edu|gov|io|co|uk|de|fr|me|info)$", re.IGNORECASE)

# a number and a street ("14 Rosewood Close", "350 Sunset Blvd"), a street before its number
# ("Hauptstraße 5"), a French or Spanish street after its number ("18 rue des Lilas"), a UK postcode
_STREET_TYPES = (
    r"street|st|road|rd|avenue|ave|lane|ln|drive|dr|close|way|boulevard|blvd|court|ct|place|pl|terrace|grove|"
    r"crescent|gardens|square|sq|hill|row|walk|mews|parade|highway|hwy"
)
_NOT_A_STREET_NAME = r"(?:of|the|a|an|and|in|on|at|to|my|our|for|with|laps?|times?|miles?|km|steps?|days?|hours?|minutes?|sets?|reps?|degrees?)\b"
_ADDRESS = re.compile(
    rf"\b\d{{1,5}}[a-z]?,?\s+(?:(?!{_NOT_A_STREET_NAME})[a-z'’.-]+\s+){{1,3}}(?:{_STREET_TYPES})\b\.?"
    r"|\b\d{1,4}(?:\s*(?:bis|ter))?,?\s+(?:rue|avenue|boulevard|bd|place|chemin|allée|allee|impasse|quai|calle|via)\s+[\w'’ -]{2,40}"
    r"|\b[a-zäöüß]+(?:straße|strasse|weg|gasse|platz|allee)\s+\d{1,4}[a-z]?\b"
    r"|\b[a-z]{1,2}\d[a-z\d]?\s+\d[a-z]{2}\b",
    re.IGNORECASE,
)
# a full name offered for looking someone up: "my name is Jane Doe, find me", "look me up: Jo Bell"
_NAME = r"[A-Z][a-z'’-]+(?:\s+(?:[A-Z][a-z'’-]+|O'[A-Z][a-z]+)){1,2}"
_INTRO = (
    r"(?i:my\s+(?:real\s+|full\s+|actual\s+|legal\s+)?name(?:'s|\s+is)|i'?m\s+(?:really\s+|actually\s+)?called|"
    r"i\s+am\s+(?:really\s+|actually\s+)?called|i'?m|i\s+am|search\s+for|look\s+me\s+up[:,]?|look\s+up|"
    r"find\s+me[:,]?(?:\s+under)?|under\s+my\s+(?:full\s+|real\s+)?name,?)"
)
_OFFERED_NAME = re.compile(rf"{_INTRO}\s+(?P<name>{_NAME})(?![\w'])")
_SPOKEN_NAME = re.compile(
    r"(?i:my\s+(?:real\s+|full\s+|actual\s+)?name(?:'s|\s+is))\s+(?P<name>(?!(?:on|in|at|the|not|a|an|is|was)\b)[a-z'’-]{2,}\s+(?!(?:on|in|at|the|and|but|is|was)\b)[a-z'’-]{2,})\b"
)
_LOOKUP = re.compile(
    r"\b(?:look(?:ing)?\s+(?:me\s+)?up|find\s+me|search\s+(?:for\s+)?me|search\s+for|that'?s\s+me|"
    r"(?:on|via)\s+(?:facebook|fb|insta(?:gram)?|linkedin|twitter|tiktok)|wants?\s+to\s+(?:find|chat|reach)|"
    r"message\s+me|add\s+me|google\s+me)\b",
    re.IGNORECASE,
)
# digits spelled out or spaced to get past a filter: "five five five, one two three", "0 7 7 0 0"
_DIGIT_WORDS = {"zero": 1, "oh": 1, "o": 1, "nought": 1, "one": 1, "two": 1, "three": 1, "four": 1, "five": 1,
                "six": 1, "seven": 1, "eight": 1, "nine": 1, "double": 1, "triple": 2, "hundred": 2}  # fmt: skip
_SPOKEN_DIGITS = re.compile(
    r"(?<![\w])(?:\+?\d+|" + "|".join(_DIGIT_WORDS) + r")(?:[\s,\-]+(?:\d+|" + "|".join(_DIGIT_WORDS) + r"))+(?![\w])",
    re.IGNORECASE,
)

KINDS = {
    "email": "an e-mail address", "phone": "a phone number", "profile": "a link to a profile or a handle",
    "address": "a postal address", "name": "a full name",
}  # fmt: skip


class Finding(msgspec.Struct, frozen=True, kw_only=True):
    kind: str  # email | phone | profile | address | name
    text: str
    start: int
    end: int

    @property
    def label(self) -> str:
        return KINDS[self.kind]


def _phones(text: str) -> list[Finding]:
    found = []
    for m in _PHONE.finditer(text):
        raw = m.group().strip()
        digits = sum(ch.isdigit() for ch in raw)
        least = 8 if raw.startswith(("+", "00", "(")) else 9
        if least <= digits <= 15 and not _DATE_LIKE.match(raw) and not _YEARS.match(raw):
            found.append(Finding(kind="phone", text=raw, start=m.start(), end=m.start() + len(raw)))
    return found


def _spoken_phones(text: str) -> list[Finding]:
    """Runs of digits and number words that add up to a phone number's length, with a word in them."""
    found = []
    for m in _SPOKEN_DIGITS.finditer(text):
        parts = re.findall(r"\d+|[a-z]+", m.group().lower())
        words = [p for p in parts if not p.isdigit()]
        digits = sum(len(p) if p.isdigit() else _DIGIT_WORDS[p] for p in parts)
        spaced = not words and all(len(p) <= 2 for p in parts)  # "0 7 7 0 0 9 0 0 1 2 3"
        if (words or spaced) and 9 <= digits <= 15 and sum(p not in ("o", "oh") for p in words) + spaced >= 1:
            found.append(Finding(kind="phone", text=m.group(), start=m.start(), end=m.end()))
    return found


def _names(text: str) -> list[Finding]:
    """Full names offered in a sentence that asks to be looked up."""
    found = []
    for sentence in re.finditer(r"[^.!?\n]+", text):
        if not _LOOKUP.search(sentence.group()):
            continue
        for pattern in (_OFFERED_NAME, _SPOKEN_NAME):
            for m in pattern.finditer(sentence.group()):
                start = sentence.start() + m.start("name")
                found.append(Finding(kind="name", text=m.group("name"), start=start, end=start + len(m.group("name"))))
    return found


def _spelled_emails(text: str) -> list[Finding]:
    return [
        Finding(kind="email", text=m.group(), start=m.start(), end=m.end())
        for m in _SPELLED_EMAIL.finditer(text)
        if _SPELLED_DOMAIN_TAIL.search(m.group()) or re.search(_OPEN + "at", m.group(), re.IGNORECASE)
    ]


def find_personal_details(text: str) -> tuple[Finding, ...]:
    """Every personal detail in ``text``, in order; overlapping findings are reported once."""
    found = [Finding(kind="email", text=m.group(), start=m.start(), end=m.end()) for m in _EMAIL.finditer(text)]
    found += _spelled_emails(text)
    found += [Finding(kind="profile", text=m.group(), start=m.start(), end=m.end()) for m in _PROFILE.finditer(text)]
    found += [Finding(kind="profile", text=m.group(), start=m.start(), end=m.end()) for m in _HANDLE.finditer(text)]
    found += [
        Finding(kind="profile", text=m.group("handle"), start=m.start("handle"), end=m.end("handle"))
        for m in _PLATFORM_HANDLE.finditer(text)
    ]
    found += [
        Finding(kind="profile", text=m.group(), start=m.start(), end=m.end()) for m in _REDDIT_USER.finditer(text)
    ]
    found += [
        Finding(kind="profile", text=m.group(), start=m.start(), end=m.end()) for m in _DISCORD_TAG.finditer(text)
    ]
    found += [
        Finding(kind="profile", text=m.group("handle"), start=m.start("handle"), end=m.end("handle"))
        for m in _HANDLE_ON.finditer(text)
    ]
    found += _phones(text)
    found += _spoken_phones(text)
    found += [Finding(kind="address", text=m.group(), start=m.start(), end=m.end()) for m in _ADDRESS.finditer(text)]
    found += _names(text)
    found.sort(key=lambda f: (f.start, -f.end))
    kept: list[Finding] = []
    for f in found:
        if not kept or f.start >= kept[-1].end:
            kept.append(f)
    return tuple(kept)


def describe(findings: tuple[Finding, ...]) -> str:
    """A sentence a writer can act on: what was found, quoted."""
    parts = [f"{f.label} (“{f.text}”)" for f in findings[:3]]
    more = f" and {len(findings) - 3} more" if len(findings) > 3 else ""
    return "To keep you anonymous, please remove personal details before sharing: " + ", ".join(parts) + more + "."
