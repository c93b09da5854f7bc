"""What the personal-detail finders share: a span of the text, the capital and small letters of
names and towns in the Latin alphabets of Europe, sentences, and the shape of an identifier no
word has (a handle, a mailbox's local part)."""

from __future__ import annotations

import re

Span = tuple[int, int]  # where a detail starts and ends in the text

_LATIN = [chr(c) for c in range(0xC0, 0x250) if chr(c).isalpha()]  # Latin-1 and Latin Extended-A and -B
UPPER = "[A-Z" + "".join(c for c in _LATIN if c.isupper()) + "]"  # Ł, Ś, Ž as well as É and Ø
LOWER = "[a-z" + "".join(c for c in _LATIN if c.islower()) + "]"

# a sentence; a dot inside a word ("jo.smith"), after an initial before a name ("Meredith J.
# Galloway"; not "So did I. Then"), after a title ("Dr. Jo Bell", "St. Jude's") or after "no" before a
# number ("no. 22 Elm Grove") does not end it
# titles before a name, and "St" before a saint's: "Dr. Jo Bell", "Rev. Augustine Oyelaran-Hughes"
TITLES = ("Dr", "Doctor", "Rev", "Revd", "Reverend", "Fr", "Father", "Sr", "Sister", "Brother", "Prof", "Professor",
          "Mr", "Mrs", "Ms", "Miss", "Mx")  # fmt: skip
_TITLED = "|".join(rf"(?<=\b{t})" for t in (*TITLES, "St"))
SENTENCE = re.compile(
    rf"(?:[^.!?\n]|\.(?=\S)|(?<=\b[A-HJ-Z])\.(?=\s+[A-Z])|(?:{_TITLED})\.(?=\s+[A-Z])|(?<=\b[Nn]o)\.(?=\s*\d))+"
)

# an identifier: three letters in a row somewhere, and a digit, an underscore, or a dot between
# letters ("quietfox4471", "lottie.fenn99", "tofu_wrangler", "kiwi.and.kale"); never part of a
# link or an address, and never a count with its unit ("200mcg", "3v3", "10pm")
MARKED = re.compile(
    r"(?<![\w.@/#-])(?=[\w.-]*[^\W\d_]{3})(?=[\w.-]*(?:\d|_|[^\W\d_]\.[^\W\d_]))[\w][\w.-]{2,62}[\w](?![\w@/])"
)
# a number and what it counts, never an identifier: "200mcg", "3v3", "10pm", "1st", "2 x"
MEASURE = re.compile(
    r"\d+(?:[.,]\d+)?(?:st|nd|rd|th|am|pm|mg|mcg|kg|g|ml|l|k|km|m|mi|lbs?|x|s|mins?|h|hrs?|v\d+|yo|yrs?)",
    re.IGNORECASE,
)
_WEB = re.compile(r"\.(?:com|org|net|co|uk|io|me|app|tv|ly|gg)\b", re.IGNORECASE)
# a thing and its number, or a month and its year: "iPhone13", "covid-19", "year11", "feb.2024"
_NUMBERED = re.compile(
    r"(?:i?phone|ipad|pixel|galaxy|covid|sars|year|yr|win|windows|ios|android|ps|xbox|gen|grade|class|level|lvl|day|"
    r"week|month|vol|part|series|model|version|ver|mk|rtx|gtx|top|under|over|ww|mp)[-_.]?\d{1,4}[a-z]?|[a-z]{3,9}\.\d{2,4}",
    re.IGNORECASE,
)


# what no word has: a digit, a dot or an underscore ("s2368104", "jo.b"), or a capital inside it
# ("BramblewickCeramics")
NO_WORD = re.compile(r"[\d._]|[a-z][A-Z]")


def marked(text: str) -> list[re.Match[str]]:
    """Every identifier in ``text`` (see ``MARKED``)."""
    return [
        m for m in MARKED.finditer(text)
        if not (MEASURE.fullmatch(m.group()) or _WEB.search(m.group()) or _NUMBERED.fullmatch(m.group()))
    ]  # fmt: skip


# a word that says what something is like ("embarrassing", "complicated", "hopeful", "useless");
# names end so too (Fleming, Redford), so a finder of names asks this of a first word only
DESCRIBES = re.compile(r"\w{3,}(?:ing|ed|ous|ful|able|ible|less|ive)", re.IGNORECASE)

# words that say something of an account or the writer rather than name it
COMMON = frozenset({
    "a", "an", "the", "and", "or", "but", "so", "if", "it", "its", "is", "me", "my", "you", "your", "him", "her",
    "them", "us", "we", "they", "this", "that", "there", "here", "now", "later", "soon", "today", "tonight",
    "tomorrow", "sometime", "anytime", "again", "too", "please", "pls", "plz", "back", "also", "only", "just",
    "still", "more", "less", "for", "with", "about", "where", "when", "what", "how", "who", "why", "not", "very",
    "really", "private", "public", "deleted", "locked", "gone", "dead", "down", "off", "on", "closed", "empty",
    "new", "old", "dormant", "inactive", "banned", "hacked", "suspended", "disabled", "blocked", "boring", "quiet",
    "mostly", "under", "full", "first", "then", "well", "usual", "always", "ever", "much", "free", "fine", "broken",
    "same", "different", "mine", "spam", "junk", "ok", "okay", "great", "good", "bad", "weird", "annoying",
    "anyway", "awesome", "cringe", "forgotten", "rubbish", "terrible", "horrible", "amazing", "brilliant", "lovely",
    "cool", "funny", "silly", "stupid", "dumb", "lame", "cheap", "cheaper", "better", "worse", "best", "worst", "done",
    "fun", "nice", "shit", "crap", "trash", "ancient", "useless", "slow", "fast", "easy", "hard", "sorted", "monday",
    "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "weekend", "everywhere", "nowhere", "somewhere",
    "from", "like", "literally", "since", "in", "at", "something", "basically", "honestly", "news", "headline",
    "headlines", "trending", "stuck", "yikes", "ugh", "meh", "nope", "yep", "yeah", "nah", "eek", "lol", "older",
    "younger", "newer", "nearly", "purely", "mainly", "entirely", "completely", "totally", "almost", "actually",
    "never", "sometimes", "often", "hardly", "rarely", "seldom", "barely", "constantly", "big", "huge", "famous",
})  # fmt: skip


def may_name(word: str) -> bool:
    """A plain word that may be a handle's or a mailbox's name: not a common word, and not one that
    says what something is like ("my gamertag is embarrassing")."""
    return word.lower() not in COMMON and not DESCRIBES.fullmatch(word)
