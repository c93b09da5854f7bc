"""E-mail addresses, whole or taken apart to get past a filter: "jo (at) example (dot) org",
"jo at example dot com", "kim -at- example -dot- net", "hen @ yahoo . co . uk",
"j o . s m i t h @ g m a i l . c o m", "jen.b at gmail"; and a mailbox named by its provider
alone, with a local part in the same sentence: "my gmail is jen.b99", "hit me up on gmail,
brodie.t88", "it's tinkerbellrosie on yahoo"."""

from __future__ import annotations

import re

from shared.safety.personal_shapes import COMMON, SENTENCE, Span, marked

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+[@＠][\w-]+(?:\.[\w-]+)+")
_OPEN, _CLOSE = r"\s*[\(\[\{<]\s*", r"\s*[\)\]\}>]\s*"
_BRACKET_AT = rf"{_OPEN}(?:at|@){_CLOSE}"
_AT = rf"(?:{_BRACKET_AT}|\s*-\s*at\s*-\s*|\s+at\s+|\s+[@＠]\s+|[@＠])"
# a dot, spaced on both sides or not at all (". " alone ends a sentence), or spelled out
_DOT = rf"(?:{_OPEN}(?:dot|\.){_CLOSE}|\s*-\s*dot\s*-\s*|\s+dot\s+|\s+\.\s+|\.)"
_LOCAL = rf"[\w+-]+(?:(?:{_DOT}|\s+underscore\s+)[\w+-]+){{0,6}}"
_TAKEN_APART = re.compile(rf"(?<![\w.+-]){_LOCAL}(?P<at>{_AT})[\w-]+(?:{_DOT}[\w-]+){{1,4}}(?![\w-])", re.IGNORECASE)
_TLD = re.compile(r"(?:com|org|net|edu|gov|io|co|uk|ie|de|fr|es|it|nl|be|ch|au|nz|ca|us|in|eu|me|info)$", re.I)
# every character apart: "j o . s m i t h @ g m a i l . c o m"
_SPACED = re.compile(r"(?<!\S)(?:[\w.+-]\s){2,64}[@＠](?:\s[\w.-]){4,64}(?!\S)")
_MAILBOXES = r"(?:gmail|googlemail|hotmail|yahoo|outlook|icloud|protonmail|proton|aol|gmx|yandex|rediffmail)"
# a well-known mailbox named without its ending, after a local part no word has: "jen.b at gmail"
_PROVIDER = re.compile(
    rf"(?<![\w.+-])(?=[\w.+-]*[A-Za-z])(?=[\w.+-]*[\d._+])[\w.+-]{{3,}}{_AT}"
    rf"{_MAILBOXES}\b",
    re.IGNORECASE,
)
_MAILBOX = re.compile(rf"\b{_MAILBOXES}\b(?!\.\w)", re.IGNORECASE)
# a plain word named as the mailbox: "it's tinkerbellrosie on yahoo", "gmail: fenwickabigail",
# "send it to my icloud, its ollie-pembury"
_PLAIN = r"(?P<plain>[^\W\d_]{4,32}(?:-[^\W\d_]{2,32})*)"
_NAMED_PLAIN = tuple(
    re.compile(form, re.IGNORECASE)
    for form in (
        rf"\bit['’]?s\s+{_PLAIN}\s+(?:on|at)\s+{_MAILBOXES}\b",
        rf"\b{_MAILBOXES}\s*(?:[:=—–]|\s-)\s*{_PLAIN}(?=\s*(?:[^\w\s]|$))",
        rf"\b{_MAILBOXES},?\s+it['’]?s\s+{_PLAIN}(?=\s*(?:[^\w\s]|$))",
    )
)
_ANY_AT = re.compile(rf"[@＠]|\bat\b|\b{_MAILBOXES}\b", re.IGNORECASE)  # what every shape has
_BRACKETED = re.compile(_BRACKET_AT, re.IGNORECASE)
_SPACE = re.compile(r"\s")


def find(text: str) -> list[Span]:
    if not _ANY_AT.search(text):
        return []
    found = [m.span() for m in _EMAIL.finditer(text)]
    found += [
        m.span() for m in _TAKEN_APART.finditer(text) if _TLD.search(m.group()) or _BRACKETED.fullmatch(m.group("at"))
    ]
    found += [m.span() for m in _SPACED.finditer(text) if _EMAIL.fullmatch(_SPACE.sub("", m.group()))]
    found += [m.span() for m in _PROVIDER.finditer(text)]
    for sentence in SENTENCE.finditer(text):  # a mailbox named, and a local part beside it in the sentence
        if _MAILBOX.search(sentence.group()):
            found += [(sentence.start() + m.start(), sentence.start() + m.end()) for m in marked(sentence.group())]
    found += [m.span("plain") for p in _NAMED_PLAIN for m in p.finditer(text) if m.group("plain").lower() not in COMMON]
    return found
