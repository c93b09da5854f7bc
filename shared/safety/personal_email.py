"""E-mail addresses, whole or taken apart to get past a filter: "jo (at) example (dot) org",
"jo at example dot com", "kim -at- example -dot- net", "hen @ yahoo . co . uk",
"j o . s m i t h @ g m a i l . c o m", "jen.b at gmail", "jo dot b at gmail", "jo.b, then the at
sign, then example.com"; and a mailbox named by its provider alone, with a local part handed over
in the same sentence: "my gmail is jen.b99", "hit me up on gmail, brodie.t88", "it's
tinkerbellrosie on yahoo" (not "my gmail is full of spam from pets4homes")."""

from __future__ import annotations

import re

from shared.safety.personal_shapes import MEASURE, SENTENCE, Span, marked, may_name

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+[@＠][\w-]+(?:\.[\w-]+)+")
_OPEN, _CLOSE = r"\s*[\(\[\{<]\s*", r"\s*[\)\]\}>]\s*"
_BRACKET_AT = rf"{_OPEN}(?:at|@){_CLOSE}"
# "jo -at- example", "jo at sign example", "jo, then the at sign, then example"
_AT_UNBRACKETED = (
    r"(?:\s*-\s*at\s*-\s*|\s+at\s+(?:sign\s+|symbol\s+)?|\s+[@＠]\s+|[@＠]|"
    r",?\s+then\s+(?:the\s+|an?\s+)?(?:at\s+(?:sign|symbol)|[@＠])\s*,?\s+then\s+)"
)
_AT = rf"(?:{_BRACKET_AT}|{_AT_UNBRACKETED})"
# a dot, spaced on both sides or not at all (". " alone ends a sentence), or spelled out
_DOT = rf"(?:{_OPEN}(?:dot|\.){_CLOSE}|\s*-\s*dot\s*-\s*|\s+dot\s+|\s+\.\s+|\.)"
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
_SPACED = re.compile(r"(?<!\S)(?:[\w.+-]\s){2,64}[@＠](?:\s[\w.-]){4,64}(?!\S)")
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
_OF_MAIL = re.compile(r"\b(?:e-?mail|mail|inbox|address|addy)", re.IGNORECASE)
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
_ANY_AT = re.compile(rf"[@＠]|\bat\b|\b{_MAILBOXES}\b", re.IGNORECASE)  # what every shape has
_SPACE = re.compile(r"\s")


def find(text: str) -> list[Span]:
    if not _ANY_AT.search(text):
        return []
    of_mail = bool(_OF_MAIL.search(text))
    found = [m.span() for m in _EMAIL.finditer(text)]
    found += [m.span() for m in _TAKEN_APART.finditer(text) if not (_a_place(m, of_mail) or _a_form(m))]
    found += [m.span() for m in _BRACKETS_APART.finditer(text)]
    found += [m.span() for m in _SPACED.finditer(text) if _EMAIL.fullmatch(_SPACE.sub("", m.group()))]
    found += [m.span() for m in _PROVIDER.finditer(text) if _provided(m, of_mail)]
    found += [m.span() for m in _SPELT_PROVIDER.finditer(text)] if of_mail else []
    for sentence in SENTENCE.finditer(text):
        found += [(sentence.start() + a, sentence.start() + b) for a, b in _beside_a_mailbox(sentence.group())]
    return found


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
