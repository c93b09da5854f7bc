"""Full names offered for looking someone up: "my name is Jane Doe, find me", "look me up: Jo Bell",
"I'm on Facebook as Tom Hargreaves", "friend me on fb, Ruth Mbeki", "search Ben Carter on
facebook", "look up Emma de Vries on LinkedIn, that's me", "Real name's Jo Bell. Google me.",
"surname's Bell, first name Jo", "my brother is Tom Bell in Leeds, look him up", "look up my dad
Graham Pettigrew, he's on linkedin", "Jo Bell, Leeds, look me up", "look up Jo Bell on fb, she's my
aunt" (not "look up Matt Haig on instagram": an author's page is no private detail). Names
in the Latin alphabets of Europe, with initials, particles and prefixes (Seán Ó Briain, Meredith J.
Galloway, Katarzyna Zielińska, Jack McAllister, Lucy-Anne, O'Neill, N'Diaye, Ross-MacAskill), after
a title outside the name ("Rev. Augustine Oyelaran-Hughes is my real name"), with a middle name
between its parts ("First name Ximena, middle name Paloma, surname ..."). In lower case only
after an offer that can mean nothing else ("look me up: sarah o'neill", "full name is sarah
o'neill"), or pointed at with the writer saying it is them, or their kin, and where to look ("look
up sam kerr from leith, that's me", "look up my brother sanjeev pillai on facebook").

Only where the sentence, or the one before or after it, asks for a look-up; a name someone owns
("Brené Brown's talk") is not offered. Or the writer's own name said with what they do where, beside
an invitation to meet them ("I'm Priya Raghavan, the pharmacist at the Boots on Mill Road, come
say hi", "Elspeth Morrow here, I run the knitting circle at ..."), never in the words of a show, a
lesson or an event ("Ruby Wax, live at the Dome, come along")."""

from __future__ import annotations

import re
from collections.abc import Callable

from shared.safety.personal_shapes import COMMON, DESCRIBES, LOWER, SENTENCE, TITLES, UPPER, Span

_UP, _LO = UPPER, LOWER
# a part after a hyphen is read one way only ("-Macab" as "Mac" and "ab", never also "M" and
# "acab"), or a run of them would be read in every way of splitting it
_WORD = (
    rf"(?:{_UP}['’]|Mc|Mac)?{_UP}{_LO}+(?:-(?>(?:{_UP}['’]|Mc|Mac)?{_UP}?{_LO}+)|['’]{_UP}{_LO}+)*"  # Ross-MacAskill
)
_PARTICLE = r"(?:de|da|di|du|van|von|der|den|le|la|del|della|dela|dos|das|Ó|Ní|Ni|Nic|Uí|Mac|bin|ibn|al|el|Te)"
_TITLE = rf"(?:(?:{'|'.join(TITLES)})\.?\s+)"  # before a name, outside it: "Dr. Marguerite Ellsworth-Tan"
_INITIAL = rf"(?:\s+{_UP}\.?)"  # "Meredith J. Galloway"
# at most two particles in a row: "Mac" and "Nic" are words too, and a longer run would be read in
# every way of splitting it
_NAME = rf"{_WORD}{_INITIAL}?(?:\s+{_PARTICLE}){{0,2}}(?:\s+{_WORD})(?:\s+{_PARTICLE}){{0,2}}(?:\s+{_WORD})?"
_NETS = r"(?:facebook|fb|insta(?:gram)?|linkedin|twitter|tiktok)"
_NAMED = (
    r"(?:(?:my\s+)?(?:real\s+|full\s+|actual\s+|legal\s+)?name(?:['’]s|\s+is)|name\s+on\s+my\s+\w+\s+is|"
    r"(?:real|full|actual|legal)\s+name(?:['’]s|\s+is)\s+on\s+(?:my|the)\s+[^.:;]{1,40}:|"  # ... on my gofundme: Jo Bell
    r"my\s+(?:real|full|actual|legal)\s+name\b[^.:;]{1,60}:|"  # my real name because I'm proud ...: Jo Bell
    r"my\s+(?:full\s+|real\s+)?name(?:\s+\w+){1,3}\s+as|"  # they'll read my name out as Jo Bell
    r"(?:my\s+|(?<=,\s)|^)(?:real|full|actual|legal)\s+name[:,]?)"
)
# someone of the writer's own: their names are as private as the writer's ("my brother is Tom Bell,
# look him up"); a favourite author or a hero is not
_KIN = (
    r"(?:(?:old|best|late|little|big|older|younger|eldest|oldest|twin|step)\s+)?(?:brother|sister|mum|mom|mother|"
    r"dad|father|son|daughter|aunt|auntie|uncle|cousin|nan|nana|gran|granny|grandma|grandmother|grandad|grandpa|"
    r"grandfather|wife|husband|partner|girlfriend|boyfriend|fianc[eé]e?|friend|mate|neighbou?r|niece|nephew|"
    r"flatmate|housemate|roommate|ex|step-?(?:dad|mum|mom|father|mother|brother|sister|son|daughter)|"
    r"(?:brother|sister|mother|father|son|daughter)-in-law)"
)
# someone who sees people for a living, named with the town they work in (a well-known
# psychiatrist recommended is no private detail): "my old counsellor was Jo Bell in Hull"
_CARER = (
    r"(?i:my\s+(?:old\s+|former\s+|new\s+)?(?:counsell?or|therapist|psychiatrist|psychologist|doctor|gp|nurse|"
    r"social\s+worker|key\s+worker|teacher|coach|sponsor)\s+(?:is|was))"
)
_INTRO = (
    rf"(?i:{_NAMED}|i['’]?m\s+(?:really\s+|actually\s+)?called|i\s+am\s+(?:really\s+|actually\s+)?called|"
    r"i['’]?m(?:\s+really|\s+actually)?|i\s+am(?:\s+really|\s+actually)?|look\s+me\s+up\s*[:,—–-]?|"
    r"(?:she|he)['’]s|(?:she|he)\s+is|"  # "She's Henrietta Blakemore ... so people can find her"
    r"(?:add|friend|find|follow)\s+me\s*[:—–-]|it['’]?s\s+me\s*[,:—–-]|"
    r"find\s+me[:,]?(?:\s+under)?|under\s+(?:my|the)\s+(?:full\s+|real\s+)?name,?|"
    rf"(?:search|google|look\s+up)(?:\s+for)?\s+my\s+name[:,]?|{_NETS}\s+as|me\s+as|this\s+is\s+me(?:\s+btw)?\s*[,:—–-]|"
    rf"(?:add|friend|find|follow)\s+me\s+on\s+{_NETS}[:,]?|call\s+me|my\s+{_KIN}\s+(?:is|was|['’]s)(?:\s+called)?)"
)
# someone of the writer's own named where to find them: "my sister Temitope Afolabi is on facebook",
# "my mate Jermaine Oduya runs a men's group", "look up my dad Graham Pettigrew, he's on linkedin",
# "my old uni mate Lachlan Pemberton-Rhys basically saved my life"
_KIN_NAMED = re.compile(rf"(?i:my\s+(?:[a-z]+\s+){{0,2}}{_KIN})\s+(?P<name>{_NAME})(?=\s*(?:[,.;:!?)—–]|$)|\s+[a-z])")
_OFFERED = re.compile(rf"{_INTRO}\s+{_TITLE}?(?P<name>{_NAME})(?![\w'’])")
_AT_WORK = re.compile(rf"{_CARER}\s+{_TITLE}?(?P<name>{_NAME}),?\s+(?=(?i:in|from|at)\s+{_UP})")
# "It's Jo Bell btw", "it's Jo Bell in real life"
_ITS = re.compile(
    rf"(?i:it['’]?s)\s+(?P<name>{_NAME}),?\s+(?i:btw|irl|by\s+the\s+way|in\s+real\s+life)\b"
    r"(?!,?\s+(?i:look\s+(?:him|her|them)\s+up|google\s+(?:it|him|her|them)))"  # not "it's Lewis Capaldi btw, look him up"
)
# "surname's Bell, first name Jo" and the other way round, with a middle name between
_MIDDLE = rf"(?:(?i:middle\s+names?)(?:['’]s|\s+is|\s+are)?:?\s+{_WORD}(?:\s+{_WORD})?,?\s+)"
_PARTS = re.compile(
    rf"(?i:(?:sur|last|family)\s*name(?:['’]s|\s+is)?:?)\s+(?P<name>{_WORD},?\s+(?i:first|given)\s+name(?:['’]s|\s+is)?:?\s+{_WORD})"
    rf"|(?i:(?:first|given)\s+name(?:['’]s|\s+is)?:?)\s+(?P<name2>{_WORD},?\s+{_MIDDLE}?(?i:sur|last|family)\s*name(?:['’]s|\s+is)?:?\s+{_WORD})"
)
_LOOK = rf"(?:search(?:\s+for|\s+up|\s+{_NETS}\s+for)?|google|look\s+(?:up|for)|find|ask\s+for)"
# "search for Jo Bell", "google Jo Bell", "look up Jo Bell": only where the writer says it is them
_POINTED = re.compile(rf"(?i:{_LOOK})\s+(?P<name>{_NAME})(?![\w'’])")
# "look up Jo Bell on fb, she's my aunt", "search Jo Bell in Leeds on Facebook, that's me": their
# page, where the writer says who they are to them (a well-known author's page is not private)
_ON_A_NET = re.compile(
    rf"(?i:{_LOOK})\s+(?P<name>{_NAME})(?=,?\s+(?:(?i:in|from)\s+{_UP}{_LO}+,?\s+)?(?i:on|via)\s+(?i:{_NETS})\b)"
)
# a sentence that opens with a name and hands it over: "Jo Bell, that's my full name", "Jo Bell,
# Leeds, look me up", "Jo Bell, find me on fb" (not "Bridget Jones, that's me most nights": a
# character, a greeting or a day is "me" too)
_IS_ME = re.compile(
    rf"^\s*{_TITLE}?(?P<name>{_NAME})\s*[,—–-]?\s+(?:(?i:in|from)\s+)?(?:{_UP}{_LO}+\s*[,—–-]?\s+)?"
    rf"(?i:(?:that['’]?s|thats|it['’]?s|its)\s+my\s+(?:full\s+|real\s+)?name|is\s+my\s+(?:full\s+|real\s+)?name(?=\s*[,.;:!?—–-]|\s*$)|"
    r"look\s+me\s+up|google\s+me|"
    rf"(?:find|add)\s+me\s+on\s+{_NETS}|(?:that['’]?s|thats|that\s+is|it['’]?s)\s+me\s*[,—–-]?\s*(?:(?:add|find|follow)\s+me\b|look\s+me\s+up)|"
    rf"(?:that['’]?s|thats|that\s+is|it['’]?s)\s+me\s*[,—–-]?\s*(?:search|look)(?:\s+me)?(?:\s+up)?\s+on\s+{_NETS}|"
    r"(?:that['’]?s|thats|that\s+is|it['’]?s)\s+me\s+on\s+(?:the|my|our)\s+(?:[\w-]+\s+){0,2}(?:page|site|website|profile))"
)
# a sentence that is only "Jo Bell, that's me", beside one that says where to find them
_ONLY_ME = re.compile(rf"^\s*(?P<name>{_NAME}),?\s+(?i:that['’]?s|thats|it['’]?s|its)\s+me\s*$")
_WHERE = re.compile(rf"(?i:(?:find|add|follow)\s+me\s+on\s+{_NETS}|look\s+me\s+up)")
# who the person looked up is to the writer: "she's my aunt", "he was my sponsor", "will get you me"
_TIE = re.compile(
    rf"(?i:\b(?:she|he|they)(?:['’]s|\s+is|\s+was|\s+are|['’]re)\s+my\s+(?:{_KIN}|sponsor|carer)\b|\bget\s+you\s+me\b)"
)
# "just type Jo Bell": only in a sentence that names where to type it, beside the writer saying it
# is them, and never little words
_TYPED = re.compile(rf"(?i:type)\s+(?P<name>{_NAME}|[a-z][a-z'’-]{{1,}}\s+[a-z][a-z'’-]{{1,}})(?![\w'’])")
# "that's me every night" says what the writer does, not who they are
_HABIT = r"(?!\s+(?:every|each|now|sorted|most|all|these|lately|too|again|today|tonight|always|right|on\s+a|at\s+the))"
# "i'm telling you", "i'm obsessed": how the writer feels about what they point at, not who they are
_SAYING = (
    r"(?!\s+(?:sure|serious|not|so|obsessed|hooked|addicted|honestly|literally|just|gonna|a\s+(?:fan|convert)|"
    r"in\s+love|halfway|\w+ing)\b)"  # "i'm telling you", "i'm reading his book", "i'm learning so much"
)
_SELF = re.compile(
    rf"\b(?:(?:that['’]?s|thats|it['’]?s|its)\s+me\b{_HABIT}|(?:that['’]?s|thats)\s+my|is\s+me|(?:find|reach|see|message|add)\s+me|"
    rf"(?:i['’]m|im|i\s+am){_SAYING}|that\s+is\s+me|my\s+(?:profile|page|account|(?:real\s+|full\s+)?name)|(?:the\s+)?only\s+one|"
    r"the\s+one\s+(?:with|from|in|at|who)|let['’]?s\s+be\s+friends|be\s+my\s+friend|pen\s*-?pals?)\b",
    re.IGNORECASE,
)
# where to find the writer in person: "come and say hi", "pop in", "ask for me", "you'll find me at";
# and the words of a story, a show or a lesson, where a name and an invitation are a character's
_INVITED = re.compile(
    r"\bcome\s+(?:and\s+)?(?:say|find|see|sit|watch|chat|have|visit|join)\b|\bcome\s+(?:by|along|down|in|round|over|to)\b|"
    r"\b(?:pop|stop|drop|swing)\s+(?:in|by|round)\b|\bsay\s+(?:hi|hello|helo|hey|salaam|shalom|kia\s+ora)\b|"
    r"\b(?:ask\s+for|visit|grab|find)\s+me\b|\byou['’]ll\s+find\s+me\b|\b(?:want|wanna)\s+(?:to\s+)?meet\b|\bmeet\s+(?:up|me)\b|"
    r"\bif\s+(?:you['’]?re|ur|you\s+are)\s+(?:ever\s+)?(?:in|near|around)\b|\bpen\s*-?pals?\b",
    re.IGNORECASE,
)
_FICTION = re.compile(
    r"\b(?:says|said|script|lines|advert|ad|(?:a|the|school)\s+play|show|film|movie|episode|series|book|novel|character|role|class|"
    r"lesson|practi[sc]ed|learnt|learned|duolingo|costume|fancy\s+dress|karaoke|tribute|gig|concert|tour|signing|"
    r"tickets?|lol)\b",
    re.IGNORECASE,
)
# the writer's own name and what they do there: "I'm Tomasina Greaves, I do the early shift at the
# Lidl in Kendal", "I'm Gwenllian Rees-Bowen, the librarian at ...", "Me llamo Rocío Benavente
# Ortega, I work at the Zara" (not "I'm Team Edward forever": no role follows)
_IN_PERSON = re.compile(
    rf"(?i:i['’]?m|i\s+am|{_NAMED}|me\s+llamo|je\s+m['’]appelle|mi\s+chiamo|ich\s+hei(?:ß|ss)e)"
    rf"\s+{_TITLE}?(?P<name>{_NAME})(?:\s+(?i:from)\s+{_UP}{_LO}+(?:\s+{_UP}{_LO}+)?)?"  # "I'm Siobhan Ni Bhriain from Dingle, I work ..."
    rf"(?:,\s+(?=(?i:i\b|the\s|an?\s|ask\s+for\s+me|find\s+me|you['’]ll\s+find\s+me)|"
    rf"[A-Za-z0-9][\w ,-]{{0,40}}\s(?:at|in)\s+(?:the\s+)?{_UP})|\s+(?=(?i:at|in)\s+(?:the\s+)?{_UP}))"
)
_DOES = r"(?:run|work|coach|teach|help|play|do|sing|volunteer|lead|host|manage|own|serve|drive|organi[sz]e)"
# a sentence that opens with the writer's name and what they do: "Elspeth Morrow here, I run the
# knitting circle at ...", "Emre Aksoy, I'm the barber at ...", "Venkatesh Ramaswamy, you'll find
# me at the Saturday satsang"
_SIGNED = re.compile(
    rf"^\s*(?P<name>{_NAME})(?:\s+here)?\s*[,—–-]\s+"
    rf"(?=(?i:i\s+{_DOES}\b|i\s+am\s+(?:the|a|an|at|on)\b|i['’]m\s+(?:the|a|an|at|on)\b|you['’]ll\s+find\s+me|find\s+me))"
)
# what the writer does where, then their name: "I'm the receptionist at Parkside Dental in Hove,
# Marisa Quiñones, pop in", "I play in goal for Harehills Rovers, Dwayne Pickersgill, come and watch"
_PLACE_THEN_NAME = re.compile(
    rf"^\s*(?i:i['’]m\s+(?:the|a|an)\b|i\s+am\s+(?:the|a|an)\b|i\s+{_DOES}\b)"
    rf"(?![^,.;]*\bfans?\b)[^,.;]{{3,80}},\s+(?P<name>{_NAME})\s*(?=,|$)"  # not "I'm a big fan of ..."
)
# a name written surname first, alone, and the next sentence says it is how the writer is listed:
# "Haddad, Leila. That's how I'm listed on linkedin"
_LISTED = re.compile(rf"^\s*(?P<name>{_WORD},\s+{_WORD})\s*$")
_LISTED_AS = re.compile(r"^\s*(?i:that['’]?s\s+(?:how\s+(?:i['’]m|i\s+am)|me\b|my\s+(?:full\s+|real\s+)?name))")
# in lower case, a name is two or three words, none of them a little word ("look me up: very tired"),
# with at most two particles in a row as in upper case
_LOWER_NAME = (
    r"(?P<name>[a-z][a-z'’-]{1,}(?:\s+(?i:" + _PARTICLE + r")){0,2}\s+[a-z][a-z'’-]{1,}(?:\s+[a-z][a-z'’-]{2,})?)"
)
_LOWER_TWO = r"(?P<name>[a-z][a-z'’-]{1,}(?:\s+(?i:" + _PARTICLE + r"|o|mc)){0,2}\s+[a-z][a-z'’-]{1,})"
_LITTLE = COMMON | frozenset({
    "to", "of", "by", "as", "be", "been", "am", "are", "was", "were", "has", "have", "had", "do", "does", "did",
    "can", "could", "will", "would", "should", "some", "any", "all", "no", "one", "two", "lot", "lots", "bit",
    "little", "people", "stuff", "things", "thing", "everything", "nothing", "anything", "everyone", "someone",
    "anyone", "nobody", "home", "alone", "work", "school", "online", "offline", "group", "groups", "page", "pages",
    "site", "app", "apps", "videos", "video", "posts", "post", "stories", "story", "tips", "help", "support",
    "advice", "info", "recovery", "mental", "health", "up", "out", "myself", "yourself", "yourselves", "ourselves",
    "his", "hers", "their", "our", "sad", "happy", "tired", "pretty", "quite", "kinda", "sorta", "even", "yet", "btw",
    "haha", "x", "xx", "mate", "guys",
})  # fmt: skip
# after an offer that can mean nothing else: the end of the name is the end of the clause or a place
_AFTER = r"(?=\s*(?:[,.;:!?)—–-]|$)|\s+(?:from|in|on|at|near|its|it['’]s|thats|that['’]s|im|i['’]m|theres)\b)"
_SPOKEN = re.compile(
    rf"(?i:{_NAMED}|look\s+me\s+up\s*[:-]|(?:google|search|find|look)\s+me(?:\s+up)?\s*[:—–-]|"
    rf"{_NETS}\s+as|under\s+(?:my|the)\s+(?:full\s+|real\s+)?name,?|(?:find|add|friend)\s+me\s+on\s+{_NETS},|"
    rf"on\s+{_NETS}\s+under)\s+{_LOWER_NAME}\b(?!['’]s){_AFTER}"
)
# pointed at in lower case: the writer says it is them, and where to look (a place or a network)
_LOWER_POINTED = re.compile(
    rf"(?i:{_LOOK}|(?:i['’]?m|im)(?=\s+\S+(?:\s+\S+){{1,2}}\s+(?:on\s+{_NETS}|(?:from|in)\s+[a-z]+(?:\s+[a-z]+){{0,2}}\s*,?\s+"
    rf"(?:look\s+me\s+up|(?:find|add)\s+me\s+on|google\s+me|search\s+(?:for\s+)?me))))"
    rf"\s+{_LOWER_TWO}\b(?!['’]s)"
    rf"(?=\s+(?:from|in)\s+(?!(?:the|a|my|your|our|their|this|that)\b)[a-z]|\s+on\s+{_NETS}\b|"
    rf"\s*,?\s+(?:its|it['’]s|thats|that['’]s)\s+me\b{_HABIT})"
)
# someone of the writer's own, in lower case, where to look: "look up my brother sanjeev pillai on facebook"
_LOWER_KIN = re.compile(
    rf"(?i:search(?:\s+for|\s+up)?|google|look\s+up)\s+(?i:my\s+{_KIN})\s+{_LOWER_TWO}\b(?!['’]s)"
    rf"(?=\s+(?:on\s+{_NETS}\b|(?:from|in)\s+(?!(?:the|a|my|your|our|their|this|that|her|his)\b)[a-z]))"
)
# a sentence that is only "im sam kerr", beside one that asks for a look-up
_LOWER_SELF = re.compile(rf"^\s*(?:(?:hi|hey|hello),?\s+)?(?i:i['’]?m|im|i\s+am)\s+{_LOWER_TWO}\s*$")
_LOOKUP = re.compile(
    r"\b(?:look(?:ing)?\s+(?:me\s+|him\s+|her\s+|them\s+)?up|find\s+(?:me|him|her)|search\s+(?:for\s+|up\s+)?me|"
    r"search\s+(?:for|my\s+name|(?:his|her|their)\s+name)|that'?s\s+me|"
    rf"(?:on|via|into)\s+{_NETS}|my\s+{_NETS}|wants?\s+to\s+(?:find|chat|reach)|send\s+(?:me\s+)?a\s+(?:friend\s+)?request|"
    r"message\s+me|add\s+me|friend\s+me|google\s+me|google\s+\w+|search\s+(?:up\s+)?\w+\s+\w+\s+(?:on|in|from)|just\s+type|"
    r"it['’]?s\s+me|its\s+me|dm\s+me|pm\s+me|text\s+me|inbox\s+me|hmu|hit\s+me\s+up|pen\s*-?pals?|"
    r"search\s+in\s+(?:facebook|fb|linkedin)|search\s+(?:that|it)|ask\s+(?:\w+\s+){0,4}for\s+me|"
    r"tell\s+(?:her|him|them)\s+(?:that\s+)?i\s+sent\s+you)\b",
    re.IGNORECASE,
)


# a look-up of someone named a few sentences before, by a pronoun: "My best friend Tamsin
# Wakeley-Boyd ... She's running a marathon ... Please look her up", "if anyone sees her", "she's in
# the local directory"
_FOLLOWED_UP = re.compile(
    r"\b(?:look\s+(?:him|her|them)\s+up|find\s+(?:him|her|them)|search\s+(?:for\s+)?(?:him|her|them)|"
    r"(?:knows|sees)\s+(?:him|her)|(?:local|phone)\s+directory|phone\s*book)\b",
    re.IGNORECASE,
)
# or an invitation to ask for the writer by name: "Anybody in Thrissur can ask for me by name"
_ASKED_FOR = re.compile(r"\bask\s+(?:\w+\s+){0,4}for\s+me\b", re.IGNORECASE)
_ON = 4  # the sentences these reach back over (this one and three more)

_Patterns = tuple[re.Pattern[str], ...]
_NAMES_A_NET = re.compile(rf"\b{_NETS}\b", re.IGNORECASE)


# "Elton John's real name is ...", "the band name is Arctic Monkeys": someone's or something's name
# (not "under the real name Jo Bell"); read in the few words before the name
_SOMEONE_ELSES = re.compile(
    r"(?:\w['’]s|\b(?:the|our|his|her|their|a|an)\s+(?!(?:real|full|actual|legal|birth)\b)\w+)\s+"
    r"(?:(?:real|full|actual|legal|birth)\s+)?name"
    r"(?:['’]s|\s+is|\s+was)?[:,]?\s*$",
    re.I,
)
_JOINING = frozenset({
    "with", "and", "the", "of", "for", "to", "in", "on", "at", "my", "your", "from", "by", "or", "monday", "tuesday",
    "wednesday", "thursday", "friday", "saturday", "sunday", "morning", "afternoon", "evening", "night",
})  # fmt: skip


def _upper_ok(name: str) -> bool:
    """Not a title: "Yoga With Adriene", "Sense And Sensibility"."""
    return not any(w.lower() in _JOINING for w in name.split())


# how the writer is, not who: "im barely coping", "im proper skint", "i am beyond exhausted"
_INTENSIFIERS = frozenset({"proper", "beyond", "fully", "bloody", "super"})  # and those in _LITTLE


def _lower_ok(name: str) -> bool:
    words = name.lower().split()
    if words[0] in _INTENSIFIERS or (words[0].endswith("ly") and DESCRIBES.fullmatch(words[-1])):
        return False
    return not (any(w in _LITTLE for w in words) or DESCRIBES.fullmatch(words[0]))


def _patterns(said: str, near: str, asked: bool, in_person: bool) -> tuple[_Patterns, _Patterns]:
    """The upper-case and lower-case name patterns this sentence may hold, by what it and its
    neighbours say: a look-up asked for, the writer saying it is them, an invitation to meet."""
    upper: _Patterns = (_IN_PERSON, _SIGNED, _PLACE_THEN_NAME) if in_person else ()
    if not asked:
        return upper, ()
    upper += (_OFFERED, _KIN_NAMED, _ITS, _AT_WORK, _IS_ME)
    lower: _Patterns = (_SPOKEN, _LOWER_SELF, _LOWER_KIN)
    if _SELF.search(near):
        upper += (_POINTED,)
        lower += (_LOWER_POINTED, _TYPED) if _NAMES_A_NET.search(said) else (_LOWER_POINTED,)
    elif _TIE.search(near):
        upper += (_ON_A_NET,)
    upper += (_ONLY_ME,) if _WHERE.search(near) else ()
    return upper, lower


def find(text: str) -> list[Span]:
    """Full names offered in a sentence that asks to be looked up, or beside one that does, or named
    a few sentences before a look-up by a pronoun; and the writer's own name said with where to find
    them in person, beside an invitation (or a few sentences before one to ask for them)."""
    sentences = list(SENTENCE.finditer(text))
    asks = [bool(_LOOKUP.search(s.group())) for s in sentences]
    followed = [bool(_FOLLOWED_UP.search(s.group())) for s in sentences]
    found = []
    for i, sentence in enumerate(sentences):
        said, near = sentence.group(), " ".join(s.group() for s in sentences[max(0, i - 1) : i + 2])
        on = " ".join(s.group() for s in sentences[max(0, i - 1) : i + _ON])
        asked = any(asks[max(0, i - 1) : i + 2]) or any(followed[i : i + _ON])
        invited = _INVITED.search(near) or _ASKED_FOR.search(on)
        upper, lower = _patterns(said, near, asked, bool(invited) and not _FICTION.search(on))
        spans = [m.span("name") for p in upper for m in p.finditer(said) if _offered(said, m, _upper_ok)]
        spans += [m.span("name") for p in lower for m in p.finditer(said) if _offered(said, m, _lower_ok)]
        if asked:
            spans += [m.span("name" if m.group("name") else "name2") for m in _PARTS.finditer(said)]
            listed = i + 1 < len(sentences) and _LISTED_AS.match(sentences[i + 1].group())
            spans += [m.span("name") for m in _LISTED.finditer(said) if listed and _upper_ok(m.group("name"))]
        found += [(sentence.start() + a, sentence.start() + b) for a, b in spans]
    return found


def _offered(said: str, m: re.Match[str], looks_like_a_name: Callable[[str], bool]) -> bool:
    """A name as ``looks_like_a_name`` reads one, and not someone's or something's ("Elton John's
    real name is ...", "the band name is ..."), read in the few words before it."""
    start = m.start("name")
    return looks_like_a_name(m.group("name")) and not _SOMEONE_ELSES.search(said, max(0, start - 40), start)
