"""Postal addresses: a number and a street ("14 Rosewood Close", "305 West 75th Street"), a street
before its number ("Hauptstraße 5", "Keizersgracht 123", "Via Roma 24,"), a French or Spanish
street after its number ("18 rue des Lilas"), a flat or house number ("Flat No. 302"), a PO box,
a house number with its street and town named in the sentence ("number 9, near the post office on Castle
Street"), and postcodes in the shapes of several countries: UK, Irish Eircodes, US states with ZIP
codes, Australian states with theirs, Canadian provinces with theirs, Indian PIN codes after a
town, continental codes before a town ("80-831 Gdańsk"), and one's own code called one ("my zip
code's 60614"); "Plot 14, Block C"; a house number of the writer's own with its street, and its
town or an invitation to come by in that sentence or the next; a house number in words of more
than one ("seventy-two Orchard Lane in Bicester"), a rural route's box, and a US state named whole
with its ZIP code. A place open to anyone is no one's home ("the cafe at 88 Queen Street", "the
Tesco at 40 London Road"), unless the sentence says someone lives or can be written to there.
A number that counts something ("Day 12 hill walk", "5k along Riverside Drive", "2 L. Walk") is
not a house number."""

from __future__ import annotations

import bisect
import re

from shared.safety.personal_shapes import LOWER, SENTENCE, UPPER, Span

_STREET_TYPES = (
    r"street|st|road|rd|avenue|ave|lane|ln|drive|dr|close|way|boulevard|blvd|court|ct|place|pl|terrace|grove|"
    r"crescent|gardens|square|sq|hill|row|walk|mews|parade|highway|hwy|esplanade|quay|marg|heights|rise"
)
# words a street's name never starts with: little words, prepositions, and what numbers count
_NOT_A_NAME = (
    r"(?:of|the|a|an|and|in|on|at|to|my|our|for|with|along|down|up|past|through|by|near|off|onto|into|round|"
    r"around|across|from|towards?|behind|over|under|laps?|times?|miles?|steps?|days?|hours?|minutes?|sets?|reps?|"
    r"degrees?|(?-i:km|k|m|l|L|ml|h|hrs?|kg|g|mg|min|mins|x))\b"
)
# street words are everyday words too ("a 2 bed terrace", "£5 each way", "a 10k sponsored walk",
# "lost 2 more st", "3 different street food stalls"): in lower case, a street's name is none of the
# words that say what a number of things is like; and a street is not a bus's route ("the 23
# Kingston Rd bus")
_LIKE = (
    r"(?:more|less|different|other|each|extra|few|really|very|big|small|long|short|hard|steep|straight|front|back|"
    r"whole|full|half|bed|bedroom|star|week|day|month|year|hour|minute|sponsored|charity|fun|good|bad|new|old|"
    r"squash|tennis|netball|o['’]clock|botanical|kilometre|kilometer|mile|tb|gb|mb)\b"
)
_STREET_WORD = rf"(?!{_NOT_A_NAME})(?!(?-i:{_LIKE}))(?:\d{{1,3}}(?:st|nd|rd|th)|[^\W\d_][\w'’.-]*)"
_NOT_A_ROUTE = r"(?!\s+(?:bus|buses|stop|station|food|stall|market|roundabout|junction|exit)\b)"
_LOWER = LOWER
_TOWN = rf"{UPPER}{_LOWER}+"
# after the number of a street given before it, or a code: the end of the clause, not a count
_END = r"(?=\s*(?:[^\w\s]|$)|\s+(?:is|and|if|in|that|where)\b)"
# a house number, with a letter after it ("14b"), but not "10k": a distance
_ADDRESS = re.compile(
    rf"\b\d{{1,5}}(?:[a-jl-z]\b)?,?\s+(?:{_STREET_WORD}\s+){{1,3}}(?:{_STREET_TYPES})\b{_NOT_A_ROUTE}\.?"
    r"|\b\d{1,4}(?:\s*(?:bis|ter))?,?\s+(?:rue|avenue|boulevard|bd|place|chemin|allée|allee|impasse|quai|calle|via)"
    r"\s+[\w'’ -]{2,40}"
    r"|\b[a-zäöüßåæø]+(?:straße|strasse|str\.|weg|gasse|platz|allee|straat|gracht|laan|kade|plein|dijk|gatan|vägen|vej)"
    r"\s*\d{1,4}[a-z]?\b"
    r"|\b[a-z]{1,2}\d[a-z\d]?\s+(?!\d(?:st|nd|rd|th)\b)\d[abd-hjlnp-uw-z]{2}\b"  # UK postcode (not "M25 2am", "PS5 2nd")
    r"|\b(?-i:(?:AB|BC|MB|NB|NL|NS|NT|NU|ON|PE|QC|SK|YT),?\s+[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z]\s?\d[ABCEGHJ-NPRSTV-Z]\d)\b"  # Canada
    r"|\b(?-i:(?:[AC-FHKNPRTV-Y]\d{2}|D6W)\s?(?=[A-Z]{0,3}\d)(?=\d{0,3}[A-Z])[0-9AC-FHKNPRTV-Y]{4})\b"  # Eircode
    r"|\bp\.?\s?o\.?\s+box\s+\d{1,6}\b"
    r"|\b(?:rural\s+route|r\.?r\.?)\s*\d{1,3},?\s+box\s+\d{1,5}[a-z]?\b"  # "Rural Route 3, Box 47A"
    r"|\b(?:flat|apt|apartment|house|door|plot)\.?\s*(?:no\.?|number|#)\s*\d{1,5}[a-z]?\b"
    r"|\bh\.\s?no\.?\s*\d{1,5}(?:[-/]\d{1,5})*\b"  # India: "H.No 2-3-45"
    r"|\b(?:house|flat|plot)\s*\d{1,5}[a-z]?,\s*(?:(?:street|st|road|lane|sector|block|gali)\s*\d{1,4}|"
    r"block\s+(?-i:[A-Z]\d{0,2}))\b"  # "House 6, Street 14", "Plot 14, Block C" (not "flat 3, block of flats")
    r"|\bmy\s+(?:zip|post|postal)\s*(?:code)?(?:\s+is|['’]s|\s*:|\s*-)?\s*\d{5,6}\b"  # "my zip code's 60614"
    r"|\b(?:zip|post|postal)\s*code\s*:\s*\d{5,6}\b",  # "postcode: 560011"
    re.IGNORECASE,
)
_STATES = (
    r"AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|"
    r"OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY"
)
# what a number followed by it counts, so it is no postcode: "OK 10000 steps", ", 1500 Calories"
_COUNTS = (
    r"(?!\s+(?i:steps?|calories|cals?|kcal|words?|people|views?|likes?|followers?|points?|pounds?|dollars?|euros?|"
    r"rupees?|days?|miles?|km|metres?|meters?|feet|times?|reps?|laps?|hours?|minutes?|seconds?|pages?|lines?)\b)"
)
_STATE_NAMES = (
    r"Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|Hawaii|Idaho|"
    r"Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|Michigan|Minnesota|Mississippi|"
    r"Missouri|Montana|Nebraska|Nevada|New\s+Hampshire|New\s+Jersey|New\s+Mexico|New\s+York|North\s+Carolina|"
    r"North\s+Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|Rhode\s+Island|South\s+Carolina|South\s+Dakota|Tennessee|"
    r"Texas|Utah|Vermont|Virginia|Washington|West\s+Virginia|Wisconsin|Wyoming"
)
_CODES = re.compile(
    rf"(?:(?<=,)|(?<=, )|(?<={_LOWER} )|(?<={_LOWER}, ))(?:{_STATES})\s+\d{{5}}(?:-\d{{4}})?\b{_COUNTS}"  # US: town, state, ZIP
    rf"|(?<=, )(?:{_STATE_NAMES})\s+\d{{5}}(?:-\d{{4}})?\b{_COUNTS}{_END}"  # "Hollis, Oklahoma 73550"
    r"|\b(?:(?i:nsw|vic|qld|tas)|SA|WA|NT|ACT)\s+\d{4}\b(?!\s+[a-z])"  # Australia: a state and its postcode
    rf"|(?<=,)\s*(?!(?:19|20)\d\d\b)(?:\d{{4,5}}|\d{{2}}-\d{{3}}|\d{{4}}-\d{{3}})(?:\s?(?!BC|AD|CE|AM|PM)[A-Z]{{2}})?{_COUNTS}\s+{_TOWN}"  # ", 28013 Madrid", ", 80-831 Gdańsk"
    rf"|\b(?i:calle|via|viale|corso|piazza|plaza|avenida|rua|carrer|strada|ul\.|ulica)\s+"
    rf"(?:(?i:de|del|della|dei|di|da|das|do|dos|des|du|la|las|los|el)\s+)*{_TOWN}(?:\s+{_TOWN}){{0,2}},?\s+"
    rf"(?!(?:19|20)\d\d\b)\d{{1,4}}[a-z]?"  # not "Piazza Navona 2019": a year
    rf"(?:/\d{{1,4}})?\b{_END}"
)
# India: a PIN code after its town, the town after a comma, "in" or opening the text ("Sector 62,
# Noida 201301"; "Pune 411001, near the station"), and not a word that counts ("Saved 250000.")
_NOT_A_TOWN = r"(?!(?:Saved|Total|Spent|Earned|Paid|Raised|Scored|Walked|Ran|Made|Got|Lost|Gained|Over|Under|About)\b)"
_PIN = re.compile(
    rf"(?:(?<=, )|(?<=,)|(?<=\bin )|^){_NOT_A_TOWN}[A-Z][a-z]{{2,}}(?:\s+[A-Z][a-z]{{2,}})?,?\s+(?:[-–]\s+)?"
    rf"(?P<code>[1-9]\d{{2}}\s?\d{{3}})\b{_COUNTS}{_END}"
)
_DIGIT = re.compile(r"\d")
# "number 9, near the post office on Castle Street, Llandeilo": a house number, and a street named
# by its capitalised name and followed by its town, in the same sentence (not "the number 42 at the
# stop on Station Road", "number 1 in the table after the win at Carrow Road")
_HOUSE = re.compile(
    r"(?:^\s*|\b(?:live\s+at|i['’]?m(?:\s+at)?|i\s+am(?:\s+at)?|we['’]re(?:\s+at)?|we\s+are(?:\s+at)?|my|our|house\s+is)\s+)"
    r"(?P<house>(?:number|no\.?|house|flat|apt\.?|unit)\s*\d{1,4}[a-z]?)(?=\s*,|\s+(?:on|in|near|off|at|by)\b)",
    re.IGNORECASE,
)  # the writer's own place, not a ranking: "we finished number 3 at the quiz on Castle Street"
_NAMED_STREET = re.compile(
    rf"\b{UPPER}{_LOWER}+(?:\s+{UPPER}{_LOWER}+)?\s+(?i:{_STREET_TYPES})\b(?P<town>,\s+{_TOWN}\b)?"
)  # "Castle Street", "Quarry Hill Road, Tonbridge"
# what a number between them ranks: "I'm number 3 in the queue at the shop on Castle Street"
_RANKED = re.compile(
    r"\b(?:queue|list|table|line|rankings?|leaderboard|charts?|rota|quiz|race|league|class|draw|top|seed)\b", re.I
)
# or one the writer asks people to come to: "I'm at number 14 on Castle Street, come by for a brew"
_VISIT = re.compile(
    r"\b(?:come|pop|drop|swing)\s+(?:by|round|over|in)\b|\bknock\b|\bvisit\s+me\b|\bstay\s+with\s+me\b", re.IGNORECASE
)
# a number that counts something: "Day 12 hill walk", "week 3 park walk", "brought to you by the number 7"
_COUNTED = re.compile(
    r"\b(?:day|week|month|year|step|level|page|chapter|part|round|session|lap|episode|season|stage|phase|set|"
    r"rep|mile|hour|minute|room|bus|route|exit|junction|platform|gate|question|item|point|lesson|module|grade|"
    r"the\s+number)\s*[:#]?\s*$",
    re.IGNORECASE,
)


# a house number in words, as people write one to get past a filter, with its street and town:
# "flat three, twenty-two Harbour View Road, Filey", "Seventy Two Orchard Lane in Bicester", "one
# hundred and three Marine Parade, Worthing"; a number of more than one word, so no street's own
# name ("Three Bridges Road", "Seven Sisters Road"); opening its sentence, or in one that says it
# is someone's place (not "I watched twenty-one Jump Street in Leeds", "the twenty-six Mile Walk")
_UNITS = r"(?:one|two|three|four|five|six|seven|eight|nine)"
_TENS = r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
_IN_WORDS = re.compile(
    rf"\b(?:(?i:flat|apartment|apt|unit)\s+(?i:{_UNITS}|ten|eleven|twelve|{_TENS}(?:-{_UNITS})?),?\s+)?"
    rf"(?i:{_TENS}[\s-]{_UNITS}|{_UNITS}\s+hundred(?:\s+and\s+(?:{_TENS}(?:-{_UNITS})?|{_UNITS}|ten|eleven|twelve|"
    rf"(?:thir|four|fif|six|seven|eigh|nine)teen))?)(?i:\s+(?:oh|zero|{_UNITS}|{_TENS}(?:-{_UNITS})?)){{0,3}}"  # "twenty-two oh five"
    rf"\s+(?:(?!(?i:{_NOT_A_NAME}|{_LIKE})){UPPER}{_LOWER}+\s+){{1,3}}(?i:{_STREET_TYPES})\b(?:,\s+|\s+in\s+){_TOWN}"
)
# where the writer says whose place a number in words is: "write to me at", "flat three, ", "I live on",
# "our place is", "my sister's house", "my nan is at" (not any "my" or "our": "I watched twenty-one
# Jump Street in Leeds with my mum")
_DWELLING = r"house|home|flat|gaff|digs|bungalow|cottage|caravan"
_HOME = rf"(?:place|door|street|road|{_DWELLING})"
_OWN_PLACE = re.compile(
    rf"\b(?:flat|apartment|apt|unit|live|living|address|write\s+to|send|post|"
    rf"(?:my|our)\s+(?:[\w'’-]+\s+){{0,2}}{_HOME}|(?:my|our)\s+[\w-]+(?:['’]s|\s+is)\s+(?:at|in|on))\b",
    re.IGNORECASE,
)
_OPENS = re.compile(r"(?:^|[.!?:]\s*|\n\s*)(?:(?i:flat|apartment|apt|unit)\s+\w+,?\s+)?$")


# a place open to anyone, whose address is no one's home: "the cafe at 88 Queen Street", "our
# local mosque at 30 Bridge Street", "the foodbank at St Mark's Church, 2 Station Road" (read in the
# few words before the address), unless its sentence says someone lives or can be found or written
# to there ("I'm renting above the pub at 3 Church Lane")
_PUBLIC_PLACE = re.compile(
    r"(?:\b|food)(?:shop|store|cafe|café|bakery|bookshop|bookstore|library|church|chapel|mosque|temple|gurdwara|"
    r"synagogue|mandir|hall|centre|center|museum|gallery|cinema|theatre|theater|pub|bar|restaurant|takeaway|chippy|"
    r"barbers?|salon|nursery|launderette|laundrette|laundromat|market|gym|pool|surgery|clinic|pharmacy|chemist|"
    r"hospital|school|college|station|shed|bank|hub|club|office|hotel|venue|park|practice|dentist|vets?|co-?op|"
    r"supermarket|deli|diner|arcade|allotments?|mall|rink|stadium|tea\s*rooms?|scout\s+hut)(?:['’]s)?(?:\s+(?:is\s+)?(?:at|on)|,)\s*$",
    re.IGNORECASE,
)
# ... or named by its own name, the way people name a shop, a pub or a chain's branch: "the Tesco at
# 40 London Road", "the Red Lion on 4 High Street" (one to three capitalised words after "the"; the
# last not a plural, which is how a family is named, "the Hendersons at", nor a word of a home or a
# household, "the Old Rectory at", "the Patel Family at"); in a sentence that does not say whose
# place it is in any way (a shop's name is not as plain as "the cafe")
_NAMED_PLACE = re.compile(
    r"\b[Tt]he\s+(?:[A-Z][\w&'’-]*\s+){0,2}(?!(?i:family|household|lodge|rectory|vicarage|manse|annexe?|airbnb|"
    rf"farm|farmhouse|barn|granary|mill|wife|husband|missus|gaffer|{_DWELLING})\s)"
    r"[A-Z][\w&'’-]*[^\Ws]\s+(?:is\s+)?(?:at|on)\s*$"
)
_SOMEONES = re.compile(
    r"\b(?:i|we|she|he|they|you)\s+(?:live|stay|sleep|rent)|\b(?:lives?|living|staying|sleeping|renting)\s+"
    r"(?:above|over|at|in|behind|next|upstairs|downstairs)\b|\bmy\s+(?:flat|house|home|room|place|address)\b|"
    r"\b(?:write\s+to|send\s+\w+\s+to|post\s+\w+\s+to|find)\s+(?:me|us)\b",
    re.IGNORECASE,
)


class _Sentences:
    """A text's sentences, and what each says of whose place it is, each asked once."""

    def __init__(self, text: str) -> None:
        self.found = list(SENTENCE.finditer(text))
        self.starts = [s.start() for s in self.found]
        self._someones: dict[int, bool] = {}

    def holding(self, at: int) -> str:
        """The sentence that holds the offset ``at`` ("" before the first)."""
        i = bisect.bisect_right(self.starts, at) - 1
        return self.found[i].group() if i >= 0 else ""

    def someones(self, at: int) -> bool:
        """Whether the sentence holding ``at`` says someone lives, or can be found or written to, there."""
        i = bisect.bisect_right(self.starts, at) - 1
        if i not in self._someones:
            self._someones[i] = bool(_SOMEONES.search(self.holding(at)))
        return self._someones[i]

    def owned(self, at: int) -> bool:
        """... or says whose place it is in any way ("flat three", "write to me", "come by")."""
        said = self.holding(at)
        return self.someones(at) or bool(_VISIT.search(said) or _OWN_PLACE.search(said))


def _a_public_place(text: str, start: int, sentences: _Sentences) -> bool:
    """The address of a place open to anyone, named so in the few words before it, in a sentence
    that does not make it someone's place (see ``_PUBLIC_PLACE``; "just come in" is said of a
    public place as well), or named by its own name in one that does not say whose place it is
    (see ``_NAMED_PLACE``)."""
    before = max(0, start - 60)
    if _PUBLIC_PLACE.search(text, before, start):
        return not sentences.someones(start)
    return bool(_NAMED_PLACE.search(text, before, start)) and not sentences.owned(start)


def _in_words(text: str, sentences: _Sentences) -> list[Span]:
    """House numbers in words (see ``_IN_WORDS``), opening a sentence or in one of someone's place."""
    return [
        m.span()
        for m in _IN_WORDS.finditer(text)
        if _OPENS.search(text, max(0, m.start() - 30), m.start()) or sentences.owned(m.start())
    ]


def find(text: str) -> list[Span]:
    sentences = _Sentences(text)
    found = _in_words(text, sentences)
    if not _DIGIT.search(text):  # every other shape has a number in it
        return found
    found += [
        m.span()
        for m in _ADDRESS.finditer(text)
        if not _COUNTED.search(text, max(0, m.start() - 20), m.start())
        and not _a_public_place(text, m.start(), sentences)
    ]
    found += [m.span("code") for m in _PIN.finditer(text)]
    for i, sentence in enumerate(sentences.found):
        house, street = _HOUSE.search(sentence.group()), _NAMED_STREET.search(sentence.group())
        nearby = " ".join(s.group() for s in sentences.found[i : i + 2])  # "... Quarry Hill Road. Knock anytime."
        if (
            house
            and street
            and 0 < street.start() - house.end() <= 80
            and not _RANKED.search(sentence.group(), house.end(), street.start())
            and (street["town"] or _VISIT.search(nearby))
        ):
            found.append((sentence.start() + house.start("house"), sentence.start() + street.end()))
    for m in _CODES.finditer(text):
        start = m.start() + len(m.group()) - len(m.group().lstrip())
        found.append((start, m.end()))
    return found
