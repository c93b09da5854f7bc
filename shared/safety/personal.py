"""Personal details in text meant for the peer feed: e-mail addresses (also spelled out),
phone numbers in national and international forms, and links or handles of personal profiles.
Each finding says what it is and where, so a page can point to it."""

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
    rf"|\b(?:{_PLATFORMS})\s*(?:handle|name|username|id)?\s*:)"
    r"\s*@?(?P<handle>[A-Za-z0-9_.#-]{2,32}[A-Za-z0-9_#])",
    re.IGNORECASE,
)
_REDDIT_USER = re.compile(r"(?<![\w/])/?u/[A-Za-z0-9_-]{3,20}\b")
_DISCORD_TAG = re.compile(r"(?<![\w#])[A-Za-z0-9_.]{2,32}#\d{4}\b")
_SPELLED_DOMAIN_TAIL = re.compile(r"(?:com|org|net|edu|gov|io|co|uk|de|fr|me|info)$", re.IGNORECASE)

KINDS = {"email": "an e-mail address", "phone": "a phone number", "profile": "a link to a profile or a handle"}


class Finding(msgspec.Struct, frozen=True, kw_only=True):
    kind: str  # email | phone | profile
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
    found += _phones(text)
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
