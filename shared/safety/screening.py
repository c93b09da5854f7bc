"""Screening of written text at two levels, with the lexicon as data (``lexicon.toml``).

``urgent``: present risk. ``sensitive``: the topic without present risk (the past, recovery,
others); it suggests content warnings. ``none``: everything else. When wording is ambiguous
between the past and now, it stays urgent. Pure code: no I/O once the lexicon is loaded.
"""

from __future__ import annotations

import enum
import functools
import re
import tomllib
import unicodedata
from collections.abc import Iterable
from pathlib import Path

import msgspec

LEXICON = Path(__file__).with_name("lexicon.toml")
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})
_SENTENCES = re.compile(r"[.!?;\n]+")


class Level(enum.Enum):
    NONE = "none"
    SENSITIVE = "sensitive"
    URGENT = "urgent"


class Screening(msgspec.Struct, frozen=True, kw_only=True):
    level: Level = Level.NONE
    warnings: tuple[str, ...] = ()  # content warnings the text suggests (suicide, self-harm, ...)
    reasons: tuple[str, ...] = ()  # why, for moderators: the groups that matched

    @property
    def urgent(self) -> bool:
        return self.level is Level.URGENT


def _any(patterns: Iterable[str]) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(f"(?:{p})" for p in patterns) + r")\b")


class UrgentGroup(msgspec.Struct, frozen=True, kw_only=True):
    group: str
    patterns: list[str]


class Context(msgspec.Struct, frozen=True, kw_only=True):
    past: list[str]
    present: list[str]
    negations: list[str]
    idioms: list[str]


class LexiconFile(msgspec.Struct, frozen=True, kw_only=True):
    urgent: list[UrgentGroup]
    sensitive: dict[str, list[str]]
    context: Context


class Lexicon:
    """The compiled lexicon: urgent groups, topics for warnings, context rules and idioms."""

    def __init__(self, data: LexiconFile) -> None:
        self.urgent = [(g.group, _any(g.patterns)) for g in data.urgent]
        self.topics = [(warning, _any(patterns)) for warning, patterns in data.sensitive.items()]
        self.past = _any(data.context.past)
        self.present = _any(data.context.present)
        self.negation = re.compile(r"(?:" + "|".join(data.context.negations) + r")\s+(?:\w+\s+){0,2}$")
        self.idioms = _any(data.context.idioms)

    @classmethod
    def load(cls, path: Path = LEXICON) -> Lexicon:
        return cls(msgspec.convert(tomllib.loads(path.read_text(encoding="utf-8")), LexiconFile))


@functools.cache
def default_lexicon() -> Lexicon:
    return Lexicon.load()


def normalize(text: str) -> str:
    """Lower case, compatibility forms folded, straight quotes, single spaces (lines kept)."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).lower()
    return "\n".join(" ".join(line.split()) for line in text.splitlines())


def _sentence_level(lex: Lexicon, sentence: str) -> tuple[Level, list[str]]:
    sentence = lex.idioms.sub(" ", sentence)
    groups = []
    for group, pattern in lex.urgent:
        match = pattern.search(sentence)
        if match and not lex.negation.search(sentence[: match.start()]):
            groups.append(group)
    if not groups:
        return Level.NONE, []
    if lex.past.search(sentence) and not lex.present.search(sentence):
        return Level.SENSITIVE, [f"{g} (in the past)" for g in groups]
    return Level.URGENT, groups


def screen_text(*texts: str | None, lexicon: Lexicon | None = None) -> Screening:
    """The level of everything a person wrote in one save, with suggested warnings and reasons."""
    lex = lexicon or default_lexicon()
    level, reasons, warnings = Level.NONE, [], []
    for text in texts:
        if not text:
            continue
        plain = normalize(text)
        for sentence in _SENTENCES.split(plain):
            found, why = _sentence_level(lex, sentence)
            reasons += why
            if found is Level.URGENT or (found is Level.SENSITIVE and level is Level.NONE):
                level = found
        unidiomatic = lex.idioms.sub(" ", plain)
        warnings += [w for w, pattern in lex.topics if pattern.search(unidiomatic) and w not in warnings]
    if warnings and level is Level.NONE:
        level = Level.SENSITIVE
    return Screening(level=level, warnings=tuple(warnings), reasons=tuple(dict.fromkeys(reasons)))
