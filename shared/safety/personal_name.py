"""Full names offered for looking someone up: "my name is Jane Doe, find me", "look me up: Jo Bell",
"I'm on Facebook as Tom Hargreaves", "friend me on fb, Ruth Mbeki", "search Ben Carter on
facebook", "look up Emma de Vries on LinkedIn, that's me". Names in any alphabet of Western
Europe, with particles and prefixes (Seán Ó Briain, Jack McAllister, Lucy-Anne, O'Neill); in lower
case only after the plainest offers ("look me up: sarah o'neill"). Only in a sentence that asks to
be found; a name someone owns ("Brené Brown's talk") is not offered."""

from __future__ import annotations

import re

from shared.safety.personal_shapes import LOWER, UPPER, Span

_UP, _LO = UPPER, LOWER
_WORD = rf"(?:O['’]|Mc|Mac|D['’])?{_UP}{_LO}+(?:-{_UP}?{_LO}+|['’]{_UP}{_LO}+)*"
_PARTICLE = r"(?:de|da|di|du|van|von|der|den|le|la|del|della|Ó|Ní|Nic|Mac|bin|ibn|al|el)"
_NAME = rf"{_WORD}(?:\s+{_PARTICLE})*(?:\s+{_WORD})(?:\s+{_PARTICLE})*(?:\s+{_WORD})?"
_NETS = r"(?:facebook|fb|insta(?:gram)?|linkedin|twitter|tiktok)"
_INTRO = (
    r"(?i:my\s+(?:real\s+|full\s+|actual\s+|legal\s+)?name(?:'s|\s+is)|i'?m\s+(?:really\s+|actually\s+)?called|"
    r"i\s+am\s+(?:really\s+|actually\s+)?called|i'?m|i\s+am|look\s+me\s+up[:,]?|"
    r"find\s+me[:,]?(?:\s+under)?|under\s+(?:my|the)\s+(?:full\s+|real\s+)?name,?|"
    rf"(?:search|google|look\s+up)\s+my\s+name[:,]?|{_NETS}\s+as|me\s+as|"
    rf"(?:add|friend|find|follow)\s+me\s+on\s+{_NETS}[:,]?)"
)
_OFFERED = re.compile(rf"{_INTRO}\s+(?P<name>{_NAME})(?![\w'’])")
# "search for Jo Bell", "google Jo Bell", "look up Jo Bell": only where the writer says it is them
_POINTED = re.compile(rf"(?i:search(?:\s+for)?|google|look\s+up)\s+(?P<name>{_NAME})(?![\w'’])")
_SELF = re.compile(
    r"\b(?:that['’]?s\s+(?:me|my)|it['’]?s\s+me|is\s+me|(?:find|reach|see|message|add)\s+me|i['’]m|i\s+am|"
    r"my\s+(?:profile|page|account|name))\b",
    re.IGNORECASE,
)
# in lower case, only after an offer that can mean nothing else
_LOWER_WORD = r"(?!(?:on|in|at|the|not|a|an|is|was|and|but|if|when|well|too|here|there|now|later|sometime|soon)\b)"
_SPOKEN = re.compile(
    r"(?i:my\s+(?:real\s+|full\s+|actual\s+)?name(?:'s|\s+is)|look\s+me\s+up\s*[:-]|"
    rf"{_NETS}\s+as|under\s+(?:my|the)\s+(?:full\s+|real\s+)?name,?)"
    rf"\s+(?P<name>{_LOWER_WORD}[a-z'’-]{{2,}}(?:\s+(?i:{_PARTICLE}))*\s+{_LOWER_WORD}[a-z'’-]{{2,}})\b(?!['’]s)"
)
# a sentence; a dot inside a word ("jo.smith") does not end it
_SENTENCE = re.compile(r"[^.!?\n]+(?:\.(?=\S)[^.!?\n]*)*")
_LOOKUP = re.compile(
    r"\b(?:look(?:ing)?\s+(?:me\s+)?up|find\s+me|search\s+(?:for\s+)?me|search\s+(?:for|my\s+name)|that'?s\s+me|"
    rf"(?:on|via)\s+{_NETS}|my\s+{_NETS}|wants?\s+to\s+(?:find|chat|reach)|"
    r"message\s+me|add\s+me|friend\s+me|google\s+me|google\s+\w+|search\s+\w+\s+\w+\s+on)\b",
    re.IGNORECASE,
)


def find(text: str) -> list[Span]:
    """Full names offered in a sentence that asks to be looked up."""
    found = []
    for sentence in _SENTENCE.finditer(text):
        if not _LOOKUP.search(sentence.group()):
            continue
        patterns = (_OFFERED, _SPOKEN, _POINTED) if _SELF.search(sentence.group()) else (_OFFERED, _SPOKEN)
        for pattern in patterns:
            found += [(sentence.start() + m.start("name"), sentence.start() + m.end("name"))
                      for m in pattern.finditer(sentence.group())]  # fmt: skip
    return found
