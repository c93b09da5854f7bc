"""Screening of written text at three levels, with the lexicon as data (``lexicon.toml``).

``urgent``: present risk. ``sensitive``: the topic without present risk (the past, recovery,
others, talk about it); it suggests content warnings. ``none``: everything else. When wording is
ambiguous between the past and now, it stays urgent. Pure code: no I/O once the lexicon is loaded.

Text is normalised (case, quotes, spaces, slang spelled out), split into sentences and clauses,
and idioms are taken out. Each match of an urgent phrase is then judged in its clause, in this
order: a negation right before it cancels it (unless the writer is unsure: "I can't promise I
won't"); someone else as its subject makes it sensitive; a word of now or of relapse keeps it
urgent; writing *about* the topic makes it sensitive; a word of the past or of recovery makes it sensitive;
a word of recent time keeps it urgent; a phrase in the past tense inside a story told in the past
is sensitive; anything else is urgent.
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
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u201c": '"', "\u201d": '"'})
_SENTENCES = re.compile(r"[.!?;:\n]+")
_WORD = re.compile(r"(?<![\w'*-])[a-z']+(?![\w'*-])")
_WORDS = re.compile(r"[a-z']+")


class Level(enum.Enum):
    NONE = "none"
    SENSITIVE = "sensitive"
    URGENT = "urgent"


class Screening(msgspec.Struct, frozen=True, kw_only=True):
    level: Level = Level.NONE
    warnings: tuple[str, ...] = ()  # content warnings the text suggests (suicide, self-harm, ...)
    reasons: tuple[str, ...] = ()  # why, for moderators: the groups that matched, and how judged
    # the rules found present risk and the learned layer, having read the text, found none: not
    # urgent, but a moderator still looks before anyone else reads it (``combined.py``)
    overruled: bool = False

    @property
    def urgent(self) -> bool:
        return self.level is Level.URGENT


def _any(patterns: Iterable[str]) -> re.Pattern[str]:
    return re.compile(r"(?<![\w'-])(?:" + "|".join(f"(?:{p})" for p in patterns) + r")(?![\w'])")


def _expand(patterns: list[str], fragments: dict[str, list[str]]) -> list[str]:
    """Patterns with each ``@name`` replaced by the alternatives of that fragment."""

    def fragment(match: re.Match[str]) -> str:
        return "(?:" + "|".join(f"(?:{p})" for p in fragments[match.group(1)]) + ")"

    return [re.sub(r"@(\w+)", fragment, p) for p in patterns]


class UrgentGroup(msgspec.Struct, frozen=True, kw_only=True):
    group: str
    ask: str  # the clinician's question it answers (C-SSRS and safe-messaging categories)
    warning: str
    patterns: list[str]


class Context(msgspec.Struct, frozen=True, kw_only=True):
    others: list[str]
    discussion: list[str]
    relapse: list[str]
    past: list[str]
    recent: list[str]
    past_forms: list[str]
    negations: list[str]
    fillers: list[str]
    uncertain: list[str]
    clause_breaks: list[str]
    first_person: list[str]
    idioms: list[str]


class LexiconFile(msgspec.Struct, frozen=True, kw_only=True):
    slang: dict[str, str]
    fragments: dict[str, list[str]]
    urgent: list[UrgentGroup]
    sensitive: dict[str, list[str]]
    context: Context


class Lexicon:
    """The compiled lexicon: slang, urgent groups, topics for warnings, context rules and idioms."""

    def __init__(self, data: LexiconFile) -> None:
        ctx = data.context
        # single words are looked up word by word; phrases and patterns go through one regex
        self.slang_words = {
            word: spelled
            for p, spelled in data.slang.items() if re.fullmatch(r"[a-z']+(\|[a-z']+)*", p)
            for word in p.split("|")
        }  # fmt: skip
        phrases = [(p, spelled) for p, spelled in data.slang.items() if not re.fullmatch(r"[a-z']+(\|[a-z']+)*", p)]
        self._spelled = [spelled for _, spelled in phrases]
        self.slang = re.compile(
            r"(?<![\w'*-])(?:" + "|".join(f"(?P<s{i}>{p})" for i, (p, _) in enumerate(phrases)) + r")(?![\w'*-])"
        )
        self.urgent = [(g.group, g.warning, _any(_expand(g.patterns, data.fragments))) for g in data.urgent]
        self.topics = [(warning, _any(patterns)) for warning, patterns in data.sensitive.items()]
        self.others = _any(ctx.others)
        self.discussion = _any(ctx.discussion)
        self.relapse = _any(ctx.relapse)
        self.past = _any(ctx.past)
        self.recent = _any(ctx.recent)
        self.past_forms = _any(ctx.past_forms)
        fillers = "|".join(ctx.fillers)
        self.negation = re.compile(rf"(?<![\w'])(?:{'|'.join(ctx.negations)})\s+(?:(?:{fillers})\s+)*$")
        self.uncertain = _any(ctx.uncertain)
        words = [w for w in ctx.clause_breaks if not w.startswith(",")]
        commas = [w[1:].strip() for w in ctx.clause_breaks if w.startswith(",")]
        self.clause_break = re.compile(rf",?\s(?:{'|'.join(words)})\b" + "".join(rf"|,\s{w}\b" for w in commas))
        self.first_person = _any(ctx.first_person)
        self.idioms = _any(ctx.idioms)

    @classmethod
    def load(cls, path: Path = LEXICON) -> Lexicon:
        return cls(msgspec.convert(tomllib.loads(path.read_text(encoding="utf-8")), LexiconFile))

    def normalize(self, text: str) -> str:
        """Lower case, compatibility forms folded, straight quotes, single spaces, slang spelled out."""
        text = unicodedata.normalize("NFKC", text).translate(_QUOTES).lower()
        text = "\n".join(" ".join(line.split()) for line in text.splitlines())
        text = self.slang.sub(self._spell, text)
        words = self.slang_words
        if not words.keys().isdisjoint(_WORDS.findall(text)):
            text = _WORD.sub(lambda m: words.get(m.group(), m.group()), text)
        return re.sub(r"[ \t]{2,}", " ", text)

    def _spell(self, match: re.Match[str]) -> str:
        return self._spelled[int((match.lastgroup or "s0")[1:])]


# A supporter speaks of the member in the second or third person ("she wants to end her life",
# "you said you have a plan"); told as the member's own words, the rules for present risk apply.
_AS_THEM = {
    "she": "i", "he": "i", "they": "i", "you": "i", "her": "my", "his": "my", "their": "my", "your": "my",
    "him": "me", "them": "me", "herself": "myself", "himself": "myself", "themselves": "myself",
    "themself": "myself", "yourself": "myself", "she's": "i'm", "he's": "i'm", "they're": "i'm", "you're": "i'm",
    "she'd": "i'd", "he'd": "i'd", "they'd": "i'd", "you'd": "i'd", "she'll": "i'll", "he'll": "i'll",
    "they'll": "i'll", "you'll": "i'll",
}  # fmt: skip
_PRONOUN = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in sorted(_AS_THEM, key=len, reverse=True)) + r")\b")
_VERB_AFTER_I = {"is": "am", "has": "have", "does": "do", "doesn't": "don't", "isn't": "am not", "hasn't": "haven't",
                 "are": "am", "were": "was", "aren't": "am not", "weren't": "wasn't"}  # fmt: skip
_I_VERB = re.compile(r"\bi (\w+(?:n't)?)\b")


def _i_verb(match: re.Match[str]) -> str:
    verb = match.group(1)
    if verb in _VERB_AFTER_I:
        return f"i {_VERB_AFTER_I[verb]}"
    if verb.endswith("ies") and len(verb) > 4:
        return f"i {verb[:-3]}y"
    if verb.endswith("s") and not verb.endswith(("ss", "us", "was")) and len(verb) > 3:
        return f"i {verb[:-1]}"
    return match.group()


def as_first_person(text: str) -> str:
    """Normalised text a supporter wrote about the member, retold in the member's own voice."""
    return _I_VERB.sub(_i_verb, _PRONOUN.sub(lambda m: _AS_THEM[m.group()], text))


@functools.cache
def default_lexicon() -> Lexicon:
    return Lexicon.load()


def normalize(text: str) -> str:
    return default_lexicon().normalize(text)


class _Judge:
    """Judges the matches of one text, carrying whether the story so far is told in the past."""

    def __init__(self, lex: Lexicon, of_the_one_supported: bool = False) -> None:
        self.lex = lex
        # a supporter writing in a journal they support speaks of that person: someone else as the
        # subject is the one at risk, not a story about others
        self.of_the_one_supported = of_the_one_supported
        self.earlier: list[str] = []  # the clauses before this one, for whether the story is told in the past
        self._when: dict[int, str] = {}  # index of an earlier clause -> "now", "past" or "" (says nothing)

    def told_in_past(self) -> bool:
        """Whether the latest earlier clause that says when speaks of the past (each judged once)."""
        lex = self.lex
        for i in range(len(self.earlier) - 1, -1, -1):
            when = self._when.get(i)
            if when is None:
                clause = self.earlier[i]
                now = lex.relapse.search(clause) or lex.recent.search(clause)
                when = self._when[i] = "now" if now else "past" if lex.past.search(clause) else ""
            if when:
                return when == "past"
        return False

    def clause(self, clause: str) -> tuple[Level, list[str], list[str]]:
        lex, level, reasons, warnings = self.lex, Level.NONE, [], []
        for group, warning, pattern in lex.urgent:
            for match in pattern.finditer(clause):
                found, why = self._match(clause, match)
                if found is Level.NONE:
                    continue
                reasons.append(group if found is Level.URGENT else f"{group} ({why})")
                warnings.append(warning)
                level = max(level, found, key=_RANK.__getitem__)
                break
        self.earlier.append(clause)
        return level, reasons, warnings

    def _match(self, clause: str, match: re.Match[str]) -> tuple[Level, str]:
        lex, before = self.lex, clause[: match.start()]
        if lex.negation.search(before) and not lex.uncertain.search(before):
            return Level.NONE, "negated"
        if not self.of_the_one_supported and not lex.first_person.search(match.group()):
            subjects = list(lex.others.finditer(before))
            subject = subjects[-1] if subjects else None
            if subject is not None and not lex.first_person.search(before[subject.end() :]):
                return Level.SENSITIVE, "about someone else"
        if lex.relapse.search(clause):
            return Level.URGENT, ""
        if lex.discussion.search(clause):
            return Level.SENSITIVE, "about the topic"
        if lex.past.search(clause):
            return Level.SENSITIVE, "in the past"
        if lex.recent.search(clause):
            return Level.URGENT, ""
        near = before[-30:] + match.group()
        if lex.past_forms.search(near) and self.told_in_past():
            return Level.SENSITIVE, "in the past"
        return Level.URGENT, ""


_RANK = {Level.NONE: 0, Level.SENSITIVE: 1, Level.URGENT: 2}


def screen_text(*texts: str | None, lexicon: Lexicon | None = None, by_supporter: bool = False) -> Screening:
    """The level of everything a person wrote in one save, with suggested warnings and reasons.
    ``by_supporter``: written by a supporter about the member they support, where "she wants to
    die" is present risk of that member rather than talk about someone else."""
    lex = lexicon or default_lexicon()
    level, reasons, warnings = Level.NONE, [], []
    for text in texts:
        if not text:
            continue
        judge, plain = _Judge(lex, by_supporter), lex.normalize(text)
        if by_supporter:
            plain = as_first_person(plain)
        unidiomatic = []
        for sentence in _SENTENCES.split(plain):
            sentence = lex.idioms.sub(" ", sentence).strip()
            unidiomatic.append(sentence)
            for clause in lex.clause_break.split(sentence):
                found, why, warned = judge.clause(clause)
                reasons += why
                warnings += warned
                level = max(level, found, key=_RANK.__getitem__)
        rest = "\n".join(unidiomatic)
        warnings += [w for w, pattern in lex.topics if pattern.search(rest)]
    warnings = list(dict.fromkeys(warnings))
    if warnings and level is Level.NONE:
        level = Level.SENSITIVE
    return Screening(level=level, warnings=tuple(warnings), reasons=tuple(dict.fromkeys(reasons)))
