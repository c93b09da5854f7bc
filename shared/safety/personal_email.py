"""E-mail addresses, whole or taken apart to get past a filter: "jo (at) example (dot) org",
"jo at example dot com", "kim -at- example -dot- net", "hen @ yahoo . co . uk",
"j o . s m i t h @ g m a i l . c o m", "jen.b at gmail", "jo dot b at gmail", "jo.b, then the at
sign, then example.com"; and a mailbox named by its provider alone, with a local part handed over
in the same sentence: "my gmail is jen.b99", "hit me up on gmail, brodie.t88", "it's
tinkerbellrosie on yahoo" (not "my gmail is full of spam from pets4homes"); the at sign and the dot
in other words ("kim point sorensen snail gmail point com", "priya arroba gmail punto com"), letters
spaced around "at" ("w a l t e r (at) g m x . d e"), a domain with its dots left out ("s2368104 at
ed ac uk"). An organisation's own address is public by design, and no finding: a role's
("events@", "customer.services@") or one at a charity's or public body's domain the text names."""

from __future__ import annotations

import re
from collections import Counter

from shared.safety.personal_shapes import MEASURE, NO_WORD, SENTENCE, Span, marked, may_name

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+[@＠🐌][\w-]+(?:\.[\w-]+)+")  # a snail for the at sign, too
_OPEN, _CLOSE = r"\s*[\(\[\{<~]\s*", r"\s*[\)\]\}>~]\s*"  # "(at)", "[dot]", "~dot~"
# the at sign in other words: "snail" (its nickname in several languages), "arroba" (Spanish)
_AT_OTHER = r"(?:snail|arroba)"
_AT_WORD = rf"(?:at|{_AT_OTHER})"
_BRACKET_AT = rf"{_OPEN}(?:{_AT_WORD}|@){_CLOSE}"
# "jo -at- example", "jo at sign example", "jo, then the at sign, then example"
_AT_UNBRACKETED = (
    rf"(?:\s*-\s*at\s*-\s*|\s+at\s+(?:sign\s+|symbol\s+)?|\s+{_AT_OTHER}\s+|\s*🐌\s*|\s+[@＠]\s+|[@＠]|"
    r",?\s+then\s+(?:the\s+|an?\s+)?(?:at\s+(?:sign|symbol)|[@＠])\s*,?\s+then\s+)"
)
_AT = rf"(?:{_BRACKET_AT}|{_AT_UNBRACKETED})"
# a dot, spaced on both sides or not at all (". " alone ends a sentence), or spelled out; "point"
# and "punto" are everyday words too ("there at some point in"), so they are a dot only in a text of
# mail or beside an at sign that is no word ("kim point sorensen snail gmail point com")
_DOT = rf"(?:{_OPEN}(?:dot|\.){_CLOSE}|\s*-\s*dot\s*-\s*|\s+(?:dot|point|punto)\s+|\s+\.\s+|\.)"
_POINT = re.compile(r"\s(?:point|punto)\s", re.IGNORECASE)
# a word of a local part or a domain; a hyphen in it never starts a spelt "-dot-", or a run such as
# "a-dot-a-dot-a" could be split every way (it took seconds at 200 characters)
_PART = r"(?:[\w+]|-(?!\s*dot\s*-))+"
_LABEL = r"(?:\w|-(?!\s*dot\s*-))+"
_LOCAL = rf"{_PART}(?:(?:{_DOT}|\s+underscore\s+){_PART}){{0,6}}"
_TLDS = (
    r"(?:com|org|net|edu|gov|io|co|uk|ie|de|fr|es|it|nl|be|ch|at|se|no|dk|fi|is|pl|pt|cz|sk|hu|ro|gr|tr|ru|ua|au|nz|"
    r"ca|us|mx|br|ar|cl|in|pk|bd|lk|ng|gh|ke|za|sg|my|ph|id|jp|kr|cn|hk|tw|eu|me|info)"
)
# ending in a country's or the world's ending ("hugo dot lefevre at orange dot fr"), or with its at
# sign in brackets ("jo (at) example (dot) site")
_TAKEN_APART = re.compile(
    rf"(?<![\w.+-])(?P<local>{_LOCAL})(?P<at>{_AT_UNBRACKETED})(?P<domain>{_LABEL}(?:{_DOT}{_LABEL}){{0,3}}{_DOT}{_TLDS})(?![\w-])",
    re.IGNORECASE,
)
# "ordered it at amazon.co.uk", "tips at mind.org.uk": a word "at" a web address is a place, unless
# the word is no word ("jen.b99 at example.com") or the address a mailbox's ("jen at gmail.com")
_WEBSITE = re.compile(r"[\w-]+(?:\.[\w-]+)+")
_WORD_AT = re.compile(r"\s+at\s+")
_BRACKETS_APART = re.compile(
    rf"(?<![\w.+-]){_LOCAL}(?P<at>{_BRACKET_AT}){_LABEL}(?:{_DOT}{_LABEL}){{1,4}}(?![\w-])", re.IGNORECASE
)
# every character apart: "j o . s m i t h @ g m a i l . c o m"
_SPACED = re.compile(
    r"(?<!\S)(?P<local>(?:[\w.+-]\s){2,64})(?P<at>[@＠]|[(\[]at[)\]]|a\s?t)(?P<domain>(?:\s[\w.-]){4,64})(?!\S)",
    re.IGNORECASE,
)
# a domain with its dots left out, after a local part no word has, in a text of mail: "my uni email
# is s2368104 at ed ac uk" (not "28.5 at work with no ac in the office")
_UNDOTTED = re.compile(
    r"(?<![\w.+-])(?P<local>[\w.+-]{3,})\s+at\s+(?:[a-z-]+\s+){1,2}(?:ac|co|org|gov|edu|net|com)\s+"
    r"(?:uk|ie|nz|za|au|in|jp|ng|ke)\b",
    re.IGNORECASE,
)
# an organisation's own address, public by design, where the text does not hand it over as the
# writer's ("my business email is hello@...", "... is my shop email"): one at the domain of a charity
# or a public body the text names ("Samaritans also do email, jo@samaritans.org"), or a role's
# ("events@", "customer.services@") at an organisation's domain, not a mailbox anyone can open,
# said of someone else ("the library's events email is events@...", "email walks@... and they'll")
_PUBLIC_BODY = re.compile(r"@(?:[\w-]+\.)*?(?P<name>[\w-]+)\.(?:org|gov|nhs|charity)(?:\.[a-z]{2})?$", re.IGNORECASE)
_ROLES = frozenset({
    "info", "help", "helpline", "support", "hello", "hi", "contact", "enquiries", "enquiry", "inquiries", "admin",
    "office", "team", "events", "bookings", "booking", "tickets", "boxoffice", "reception", "orders", "sales", "shop",
    "customer", "customers", "service", "services", "care", "volunteer", "volunteers", "volunteering", "groups",
    "members", "membership", "admissions", "careers", "jobs", "press", "media", "news", "newsletter", "feedback",
    "complaints", "community", "counselling", "counseling", "wellbeing", "parents", "families", "helpers", "walks",
    "walkers", "parks", "waste", "housing", "accounts", "billing", "appointments", "referrals", "general", "youth",
})  # fmt: skip
_ROLE_PARTS = re.compile(r"[._-]")
_OWN = re.compile(r"\b(?:my|me|mine)\b", re.IGNORECASE)
_OWN_AFTER = re.compile(
    r"\s*,?\s*(?:is|it['’]s|that['’]s|=)\s+(?:my|mine|me)\b", re.IGNORECASE
)  # "... is my shop email"
_THEIRS = re.compile(
    r"\b(?:the|their|they|they['’](?:ll|re|ve|d)|them|\w+['’]s\s+(?:\w+\s+)?(?:e-?mail|inbox))\b", re.I
)
_WORDS = re.compile(r"\w+")
_MAILBOXES = (
    r"(?:gmail|googlemail|hotmail|yahoo|ymail|outlook|live|msn|icloud|protonmail|proton|tutanota|fastmail|aol|gmx|"
    r"yandex|rediffmail|btinternet|zoho)"
)
# a well-known mailbox named without its ending, after a local part no word has: "jen.b at gmail"
_PROVIDER = re.compile(
    rf"(?<![\w.+-])(?=[\w.+-]*[A-Za-z])(?=[\w.+-]*[\d._+])(?P<local>[\w.+-]{{3,}}){_AT}"
    rf"{_MAILBOXES}\b",
    re.IGNORECASE,
)
# a local part with its dots spelt out, at a well-known mailbox, in a text that speaks of mail: "my
# email is tofunmi dot a at gmail" (not "wore my polka dot dress at live music night")
_SPELT_PROVIDER = re.compile(rf"(?<![\w.+-])[\w+-]+(?:\s+dot\s+[\w+-]+){{1,4}}\s+at\s+{_MAILBOXES}\b", re.IGNORECASE)
_MAILBOX = re.compile(rf"\b{_MAILBOXES}\b(?!\.\w)", re.IGNORECASE)
_PROVIDED = re.compile(rf"{_MAILBOXES}\.", re.IGNORECASE)  # a mailbox's own address: "gmail.com"
# mailboxes named by everyday words ("my whole outlook", "live", "proton"): a mailbox only as
# "my outlook", "on proton", or beside a word of mail; and "Yahoo!" is a cheer
_EVERYDAY = re.compile(r"\b(?:outlook|live|proton)\b", re.IGNORECASE)
_AS_MAILBOX = re.compile(r"\b(?:my|on|at|via|use|new)\s+(?:outlook|live|proton)\b", re.IGNORECASE)
_OF_MAIL = re.compile(r"\b(?:e-?mail|mail|inbox|address|addy|write\s+to\s+me)", re.IGNORECASE)
_CHEER = re.compile(r"^\s*yahoo+\s*[,!]", re.IGNORECASE)
# a plain word named as the mailbox: "it's tinkerbellrosie on yahoo", "gmail: fenwickabigail",
# "send it to my icloud, its ollie-pembury"
_PLAIN = r"(?P<plain>[^\W\d_]{4,32}(?:-[^\W\d_]{2,32})*)"
_NAMED_PLAIN = tuple(
    re.compile(form, re.IGNORECASE)
    for form in (
        rf"\bit['’]?s\s+{_PLAIN}\s+(?:on|at)\s+{_MAILBOXES}\b",
        rf"\b{_MAILBOXES}\s*(?:[:=—–]|\s-)\s*{_PLAIN}(?=\s*(?:[^\w\s]|$))",
        rf"\b{_MAILBOXES},?\s+it['’]?s\s+(?P<plain>[^\W\d_]{{2,32}}(?:-[^\W\d_]{{2,32}})+)(?=\s*(?:[^\w\s]|$))",
        rf"\b(?:e-?mail|addy|address)(?:\s+is|['’]s|\s*:)\s*{_PLAIN}\s+(?:at|@)\s+{_MAILBOXES}\b",  # my addy is jo at outlook
        rf"\b{_PLAIN}\s+at\s+(?:sign|symbol)\s+{_MAILBOXES}\b",  # ayodele at sign gmail
    )
)
# the sentence hands a mailbox over: "my gmail is ...", "email me", "on hotmail:", "it's ... at yahoo"
_GIVEN = re.compile(
    rf"\bmy\s+(?:e-?mail|mail|mailbox|addy|address|{_MAILBOXES})(?:\s+(?:e-?mail|mail|address|addy|account|one))?"
    r"\s*(?:is\b|['’]s\b|[:=—–-])|\b(?:e-?mail|mail|name|user\s?name|handle|address|addy)\s*(?:is\b|['’]s\b|[:=—–-])|[:=]|"
    rf"\b(?:e-?mail|mail|message|write\s+to|reach|contact|hit|drop|find|add)\s+me\b|\b(?:on|at|via|use)\s+{_MAILBOXES}\b|"
    rf"\b{_MAILBOXES}\s*(?:[:=—–-]|\bis\b|['’]s\b)|\bit['’]?s\s+\S+\s+(?:on|at)\b|\b{_MAILBOXES}\s+(?:address|addy|account)\b",
    re.IGNORECASE,
)
# a sender or a thing in a list is no local part: "my gmail is full of spam from pets4homes",
# "emails about vitamin b12 and omega3"
_LISTED = re.compile(r"\b(?:from|of|about|and|with|by|like)\s+$", re.IGNORECASE)
# an address written backwards, where the text says so
_BACKWARDS = re.compile(r"\b(?:revers\w*|backwards?)\b", re.IGNORECASE)
_REVERSED = re.compile(r"(?<![\w.+-])[\w-]+(?:\.[\w-]+)+@[\w.+-]+")
_ANY_AT = re.compile(rf"[@＠🐌]|\b{_AT_WORD}\b|\ba\st\b|\b{_MAILBOXES}\b", re.IGNORECASE)  # what every shape has
_SPACE = re.compile(r"\s")


def find(text: str) -> list[Span]:
    if not _ANY_AT.search(text):
        return []
    of_mail = bool(_OF_MAIL.search(text))
    found = [m.span() for m in _EMAIL.finditer(text)]
    found += [
        m.span()
        for m in _UNDOTTED.finditer(text)
        if of_mail and NO_WORD.search(m["local"]) and not MEASURE.fullmatch(m["local"])
    ]
    found += [
        m.span()
        for m in _TAKEN_APART.finditer(text)
        if not (_a_place(m, of_mail) or _a_form(m) or _pointed(m, of_mail))
    ]
    found += [m.span() for m in _BRACKETS_APART.finditer(text)]
    found += [
        m.span() for m in _SPACED.finditer(text) if _EMAIL.fullmatch(_SPACE.sub("", m["local"] + "@" + m["domain"]))
    ]
    found += [m.span() for m in _PROVIDER.finditer(text) if _provided(m, of_mail)]
    if _BACKWARDS.search(text):  # "reverse it: moc.liamg@nnylfsmot"
        found += [m.span() for m in _REVERSED.finditer(text) if _EMAIL.fullmatch(m.group()[::-1])]
    found += [m.span() for m in _SPELT_PROVIDER.finditer(text)] if of_mail else []
    for sentence in SENTENCE.finditer(text):
        found += [(sentence.start() + a, sentence.start() + b) for a, b in _beside_a_mailbox(sentence.group())]
    words = Counter(w.lower() for w in _WORDS.findall(text)) if "@" in text else Counter()
    return [(a, b) for a, b in found if not _public(text, a, b, words)]


def _public(text: str, start: int, end: int, words: Counter[str]) -> bool:
    """An organisation's own address (see ``_PUBLIC_BODY``), not handed over as the writer's."""
    address = text[start:end]
    if "@" not in address or _SPACE.search(address):
        return False
    own = _OWN.search(text, max(0, start - 40), start) or _OWN_AFTER.match(text, end)
    return not own and (_a_public_body(text, start, end, words) or _a_role(text, start, end))


def _a_public_body(text: str, start: int, end: int, words: Counter[str]) -> bool:
    """At the domain of a charity or public body the text names apart from the address (``words``:
    how often each word of the text is in it, the address's own included)."""
    body = _PUBLIC_BODY.search(text, start, end)
    return body is not None and words[body["name"].lower()] > 1


def _a_role(text: str, start: int, end: int) -> bool:
    """A role's address at an organisation's domain, said of someone else."""
    local, domain = text[start:end].lower().split("@", 1)
    role = all(part in _ROLES for part in _ROLE_PARTS.split(local))
    return role and not _PROVIDED.match(domain) and bool(_THEIRS.search(text, max(0, start - 80), end + 80))


def _beside_a_mailbox(said: str) -> list[Span]:
    """In a sentence that names a mailbox and hands it over, the local part beside it."""
    if not _names_a_mailbox(said):
        return []
    given = _GIVEN.search(said)
    spans = [m.span() for m in marked(said) if given and not _LISTED.search(said, max(0, m.start() - 12), m.start())]
    return spans + [m.span("plain") for p in _NAMED_PLAIN for m in p.finditer(said) if may_name(m.group("plain"))]


def _a_place(m: re.Match[str], of_mail: bool) -> bool:
    """A plain word "at" a web address written with its dots, in a text that speaks of no mail:
    "ordered it at amazon.co.uk" (read aloud, "kim at example dot com" is a mailbox dodging a filter)."""
    return bool(
        _WORD_AT.fullmatch(m.group("at"))
        and _WEBSITE.fullmatch(m.group("domain"))
        and not _SPACE.search(m.group("local"))  # one word, with no "underscore" or "dot" spelt out in it
        and not marked(m.group("local"))
        and not _PROVIDED.match(m.group("domain"))
        and not of_mail
    )


def _provided(m: re.Match[str], of_mail: bool) -> bool:
    """ "jen.b at gmail"; not a time at a place ("doors 7pm at live music night"), and a mailbox
    named by an everyday word only in a text of mail."""
    return not MEASURE.fullmatch(m["local"]) and (of_mail or not _EVERYDAY.search(m.group()))


def _pointed(m: re.Match[str], of_mail: bool) -> bool:
    """ "there at some point in our lives": "point" read as a dot, in a text of no mail and with an
    at sign that is a word like any other."""
    return bool(_POINT.search(m.group())) and not of_mail and bool(_WORD_AT.fullmatch(m.group("at")))


def _a_form(m: re.Match[str]) -> bool:
    """ "your name, then the at sign, then whatever.com": how an address is written, unless the
    part before it is no word ("tam.ogilvie, then the at sign, then outlook.com")."""
    return "then" in m.group("at").lower() and not marked(m.group("local"))


def _names_a_mailbox(sentence: str) -> bool:
    named = [m.group() for m in _MAILBOX.finditer(sentence)]
    if not named or (len(named) == 1 and _CHEER.match(sentence)):
        return False
    return any(not _EVERYDAY.fullmatch(n) for n in named) or bool(
        _AS_MAILBOX.search(sentence) or _OF_MAIL.search(sentence)
    )
