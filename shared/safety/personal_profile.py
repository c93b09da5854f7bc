"""Links to personal profiles, and handles given with their network in any order: "ig: x",
"@x on tiktok", "find me on discord x#1234", "snap is x_09", "my insta handle x",
"kik me: x", "my username on reddit is x", "I'm on snapchat as x", "I go by x93 on twitch".

A handle with a digit, dot, underscore or # in it is a handle in a sentence that names a network
and hands an account over ("my snap is ...", "add me", ":"; not "my xbox has gta5"); networks of
films, books and games name a sentence only with a word of an account. A plain word is one only
where the sentence says it is a name ("my discord username is quietpine") or where it ends the
clause after the network ("my snap is jaybird."), and never a common word ("my insta is private
now", "my instagram is mostly bread"). Also gaming friend codes and ids, a cashtag asking for
money, and payment, creator and link pages or a blog of one's own where the text says they are
the writer's ("ko-fi.com/inkandnettle if you like my comics"; not a charity's); a handle with its
dots or underscores spelt out after its network, one long plain word before its network after "I'm"
("I'm cinnamonreel on letterboxd"; not "I'm political on twitter"), a shop's name no word has on a
marketplace ("my etsy shop is BramblewickCeramics"), and "my insta is the same as my username on
here"."""

from __future__ import annotations

import re

from shared.safety.personal_shapes import MEASURE, NO_WORD, SENTENCE, Span, marked, may_name

_SOCIAL = (
    r"facebook\.com|fb\.com|instagram\.com|instagr\.am|twitter\.com|x\.com|tiktok\.com|linkedin\.com|"
    r"reddit\.com/u(?:ser)?|youtube\.com/(?:@|c/|channel/|user/)|snapchat\.com|t\.me|threads\.net|"
    r"bsky\.app/profile|mastodon\.\w+|wa\.me/(?!\+?\d)|onlyfans\.com|pinterest\.com|tumblr\.com|twitch\.tv|soundcloud\.com|"
    r"depop\.com|vinted\.\w+(?:\.\w+)?/member|linktr\.ee|vsco\.co|github\.com|substack\.com/@|etsy\.com/shop|"
    r"\w+\.substack\.com|\w+\.tumblr\.com"
)
# pages for support and for what one makes, where the text says the page is the writer's own ("if
# you like my comics"), not a charity's or a creator's the writer admires ("support her")
_CREATORS = (
    r"paypal\.me|ko-fi\.com|buymeacoffee\.com|patreon\.com|cash\.app|venmo\.com|flickr\.com/photos|"
    r"goodreads\.com/user|letterboxd\.com/(?!film/)|wattpad\.com/user|ravelry\.com/people|medium\.com/@|"
    r"deviantart\.com|artstation\.com|behance\.net"
)
_CREATOR_LINK = re.compile(rf"\b(?:https?://)?(?:www\.)?(?:{_CREATORS})/?[^\s)\]]*[^\s)\].,;:!?]", re.IGNORECASE)
_OWNED = re.compile(
    r"\b(?:my|mine|our|that['’]?s\s+me|i\s+(?:make|made|draw|write|post|sell|run|started|put|share|record))\b",
    re.IGNORECASE,
)  # not "I donated to ko-fi.com/mindcharity"
_THEIRS = re.compile(
    r"\b(?:she|he|her|his|him|they|their|them|charity|creator|author|artist|band|official|trust|foundation)\b",
    re.IGNORECASE,
)
# a site of one's own, named by its first part: "thistledownthoughts.wordpress.com", "jo-draws.tumblr.com"
_OWN_SITE = re.compile(
    r"(?<![\w.-])(?!(?:www|m|help|blog|support)\.)[\w-]{3,40}\."
    r"(?:wordpress|blogspot|tumblr|substack|neocities|carrd|bandcamp|itch|weebly|wixsite)\.(?:com|co|org|io)\b",
    re.IGNORECASE,
)
# "cashapp $TeaganRoseHeals if anyone can spare", "cash app is $quill88 if anyone wants to send
# something" (a price has a digit after the dollar sign; "cashapp $Boosts are a scam" asks for nothing)
_CASHTAG = re.compile(r"\bcash\s*app(?:\s+(?:me|is|at|handle|tag))*\s*[:,-]?\s*(?P<tag>\$[A-Za-z][\w-]{1,20})", re.I)
_GIVING = re.compile(r"\b(?:send|sent|spare|tip|tips|donat\w*|pay|chip\s+in|support|dollars|bucks|money)\b", re.I)
# a gaming friend code or id: "switch friend code SW-4172-0386-5519", "my FC is 3029-8817-4460",
# "steam friend code 418823907", "riot id Wintergreen#EUW"
_CODE = re.compile(
    r"\b(?:friend\s+code(?:\s+is|['’]s)?\s*[:,-]?\s*(?P<code>(?:SW-?)?\d{4}[-\s]\d{4}[-\s]\d{4}|\d{8,10})|"
    r"(?:my|switch|nintendo|3ds)\s+fc(?:\s+is|['’]s)?\s*[:,-]?\s*(?P<fc>(?:SW-?)?\d{4}[-\s]\d{4}[-\s]\d{4}))\b"
    r"|\briot\s+(?:id|games)(?:\s+is|\s*:)?\s+(?P<riot>[A-Za-z0-9][\w ]{0,14}\w#[A-Za-z0-9]{2,5})\b",
    re.IGNORECASE,
)
_LINK = re.compile(rf"\b(?:https?://)?(?:www\.|m\.)?(?:{_SOCIAL})/[^\s)\]]+", re.IGNORECASE)
_AT_HANDLE = re.compile(
    r"(?<![\w@.])@(?!\d+(?:[.:]\d+)?(?i:am|pm|ish)?\b)(?!(?i:everyone|here|all|channel|mods|admins)\b)"
    r"[A-Za-z0-9_][A-Za-z0-9_.]{1,29}\b"
)  # not "@7pm", "@10", "@everyone in the thread"
_REDDIT_USER = re.compile(r"(?<![\w/])(?<!\d\s)/?u/[A-Za-z0-9_-]{3,20}\b")  # not "18 u/day"
_DISCORD_TAG = re.compile(
    r"(?<![\w#])(?!(?i:order|ticket|invoice|ref|case|room|table|item|no|number|flat|unit|job|issue)#)[A-Za-z0-9_.]{2,32}#\d{4}\b"
)  # not "order#4471"

_NET = (
    r"(?P<net>snap(?:chat)?|insta(?:gram)?|ig|tiktok|twitter(?:/x)?|x|discord|telegram|kik|whatsapp|reddit|tumblr|"
    r"threads|bluesky|bsky|twitch|youtube|signal|wechat|line|facebook|fb|mastodon|steam|xbox|psn|playstation|pinterest|"
    r"gamertag|linkedin|roblox|strava|spotify|github|minecraft|fortnite|soundcloud|depop|vinted|vsco|bereal|"
    r"goodreads|letterboxd|wattpad|ravelry|duolingo|flickr|nintendo|epic\s+games|etsy|onlyfans|"
    r"the\s+gram)\b"
)
_NAMED = re.compile(rf"\b{_NET}", re.IGNORECASE)
_ACCOUNT_WORDS = r"handle|user\s?name|id|ign|account|(?:gamer)?tag|user"  # what names an account
_NOUN = rf"(?:{_ACCOUNT_WORDS}|(?:account\s+)?name)"
# what introduces the handle: a sign (":", "->", " - ", an "@" ahead); after "my insta" also "is" or "'s"
_SIGN = r"\s*(?::|=>?|-+>|→|(?=@))|\s+-(?=\s)"
_IS = r"\s+is\b|['’]s\b"
_HANDLE = r"(?P<handle>(?=[\w.#-]*[A-Za-z])[A-Za-z0-9_][A-Za-z0-9_.#-]{1,31}[A-Za-z0-9_#])(?![\w.#-]*/)"
_TAIL = rf"\s*(?:it['’]?s\s+|it\s+is\s+|{_NOUN}\s*(?::|\bis\b)\s*)?(?:@\s*)?{_HANDLE}"
_FORMS = tuple(
    re.compile(f"(?:{form}){_TAIL}", re.IGNORECASE)
    for form in (
        rf"\bmy\s+{_NET}(?:\s+(?P<noun>{_NOUN}))?(?P<sign>{_SIGN}|{_IS})?",  # my insta is x; my ig's x
        rf"\bmy\s+(?P<noun>{_NOUN})\s+(?:on|for)\s+{_NET}(?P<sign>{_SIGN}|{_IS})?",  # my username on reddit is x
        rf"\b(?:add|find|follow|message|dm|text|reach|hit|friend)\s+me\s+(?:up\s+)?(?:over\s+)?(?:on|at)\s+{_NET}"
        rf"(?P<sign>{_SIGN}|\s*,)?",  # follow me on insta, it's x
        rf"\bon\s+{_NET}\s+(?P<sign>as)\b",  # I'm on snapchat as x
        rf"\b{_NET}(?:\s+me(?:\s+(?:at|on))?|\s+(?P<noun>{_NOUN}))?(?:(?P<sign>{_SIGN})|(?P<is>{_IS}))?",  # ig: x
    )
)
# a handle named before its network: "I'm jo.smith99 on tiktok", "I go by quietfox93 on twitch"
_BEFORE = re.compile(
    rf"(?:\b(?:i['’]?m|i\s+am|find\s+me\s+as|search(?:\s+for)?|go(?:es)?\s+by|post(?:ing)?\s+as|known\s+as)\s+"
    rf"|(?P<opens>(?:^|(?<=[.!?\n]))\s*))@?{_HANDLE}\s+(?:over\s+)?on\s+{_NET}\b",
    re.IGNORECASE,
)
_MARK = re.compile(r"[\d_.#]")
_JOINED = re.compile(r"[_.]")
# a handle spelt out letter by letter after its network: "IG: s u n n y s i d e . s a r o"
_SPELT = re.compile(
    rf"\b{_NET}(?:\s*(?::|=|-|,)|\s+me\s*:|\s+(?:it['’]?s|is))\s*(?:@|at\s)?\s?(?P<spelt>(?:[\w.]\s){{4,}}[\w.])(?!\S)",
    re.IGNORECASE,
)
_SMALL = re.compile(r"[a-z]")  # a handle spelt out has small letters; chords ("G D C G D") do not
# a profile link read aloud: "instagram dot com slash marigold underscore mornings"
_SPOKEN_LINK = re.compile(
    r"\b(?:instagram|insta|facebook|fb|tiktok|twitter|x|youtube|linkedin|snapchat|twitch|threads|soundcloud)\s+dot\s+"
    r"(?:com|net|tv)\s+slash\s+(?:at\s+|@)?\w+(?:\s+(?:underscore|dot|dash)\s+\w+)*",
    re.IGNORECASE,
)
# a network handed over: "insta is", "my ig's", "discord username:"
_NET_IS = rf"\b{_NET}(?:\s+(?:{_NOUN}))?\s*(?:[:=]|\bis\b|['’]s\b)\s*"
# a handle with its underscores or dots spelt out, after its network: "insta is cobalt underscore
# kettle underscore nine", "my ig is paper dot boats dot and dot rain"
_SPELT_JOINS = re.compile(
    rf"{_NET_IS}(?:it['’]?s\s+)?(?:(?:the\s+)?at(?:\s+sign)?,?\s+(?:then\s+)?)?"
    r"(?P<spelt>\w+(?:\s+(?:underscore|dot|dash|hyphen|period)\s+\w+)+)",
    re.IGNORECASE,
)
# the writer's pseudonym here is their handle there: "my insta is the same as my username on here"
_SAME_AS_HERE = re.compile(
    rf"{_NET_IS}(?:the\s+)?same\s+(?:as\s+)?(?:my\s+)?"
    r"(?:user\s?name|name|handle|pseudonym)\s+(?:on\s+)?(?:here|this\s+(?:site|app))",
    re.IGNORECASE,
)
# a handle of one long plain word before its network, after "I'm", in a sentence that asks to be
# followed: "I'm cinnamonreel on letterboxd if anyone wants to follow" (not "I'm paranoid on
# facebook", which says how the writer is there)
_PLAIN_BEFORE = re.compile(rf"\b(?:i['’]?m|i\s+am)\s+(?P<handle>[a-z]{{8,30}})\s+on\s+{_NET}\b", re.IGNORECASE)
_FOLLOW = re.compile(r"\b(?:follow|add\s+me|find\s+me|dm|message\s+me|subscribe|check\s+(?:me|it)\s+out)\b", re.I)
# a shop of the writer's own on a marketplace, by a name no word has, ending its clause: "my etsy shop
# is BramblewickCeramics" (not "my etsy shop is doing well", "my etsy shop is TikTok famous now")
_SHOP = re.compile(
    r"\b(?:etsy|depop|vinted|ebay|folksy|redbubble)\s+(?:shop|store)\s*(?:[:=]|\bis\b(?:\s+called)?|['’]s\b|\bcalled\b)\s*"
    r"(?P<handle>[A-Za-z][A-Za-z0-9_.-]{2,40}?)(?=[.!?]?(?:\s*[,;:!?)]|\s*$|\s+(?:if|and|on|for|where|—|-)\b))",
    re.IGNORECASE,
)
# one handle for every network, after a sign: "same name on everything: crumpet_courage"
_EVERYWHERE = re.compile(
    r"\bsame\s+(?:user\s?name|name|handle|tag|@)\s+(?:on\s+everything|everywhere|on\s+all\s+(?:of\s+)?(?:them|my\s+)?\w*+|"
    rf"on\s+every\s+\w++|across\s+\w++)\s*(?::|\bis\b|-+|—|–)\s*(?:it['’]?s\s+)?@?{_HANDLE}",
    re.IGNORECASE,
)
_CLAUSE_END = re.compile(r"\s*(?:[^\w\s]|$)|\s+(?:if|and|or|but|so|too)\b", re.IGNORECASE)
# networks named by everyday words ("my signal is weak"): only a marked handle counts after them
# (and networks where a plain word after a sign is as likely a thing as a name: "on vinted: cashmere")
_WORDS = frozenset({"signal", "line", "steam", "x", "threads", "vinted", "depop", "soundcloud", "vsco", "bereal"})
# networks of things (films, books, patterns, photos, games): a word with a digit beside them is as
# often a title ("logged dune2 on letterboxd"), so they name a sentence only with a noun of an account
_THINGS = frozenset({"goodreads", "letterboxd", "wattpad", "ravelry", "duolingo", "flickr", "nintendo"})
_ACCOUNT_NOUN = re.compile(rf"\b(?:{_ACCOUNT_WORDS})\b", re.IGNORECASE)


def _accepted(text: str, m: re.Match[str]) -> bool:
    """A marked handle always, unless it measures something or the network is an everyday word
    named without a sign; a plain word only after a sign, ending its clause, or named a name."""
    handle, groups = m.group("handle"), m.groupdict()
    if MEASURE.fullmatch(handle):
        return False
    if m.group("net").lower() in _WORDS and not (groups.get("sign") or groups.get("is") or groups.get("noun")):
        return False  # "x 50mg", "on the line 2b"
    if _MARK.search(handle):
        return True
    if not may_name(handle) or m.group("net").lower() in _WORDS:
        return False
    if groups.get("noun") and (groups.get("sign") or groups.get("is")):
        return True  # my discord username is quietpine
    return bool(groups.get("sign")) and bool(_CLAUSE_END.match(text, m.end("handle")))


# in a sentence naming a network, a plain word named a handle: "username drizzlebones on reddit",
# "Snapchat username? its kenji", "playstation id is MudlarkMaeve"
# (or joined by hyphens after "I'm": "on tumblr I'm sleepy-hedgehog-diaries"), never a word that
# says what something is like ("my gamertag is embarrassing")
_NAMED_PLAIN = re.compile(
    rf"(?:\b{_NOUN}\b\s*(?:[:?]|\bis\b)?\s*(?:it['’]?s\s+|it\s+is\s+)?(?P<handle>[^\W\d_]{{4,32}}(?:-[^\W\d_]{{2,32}})*)"
    rf"|\b(?:i['’]?m|i\s+am|go(?:es)?\s+by|known\s+as)\s+(?P<joined>[^\W\d_]{{2,32}}(?:-[^\W\d_]{{2,32}})+))"
    rf"(?=\s*(?:[^\w\s]|$)|\s+(?:on|over\s+on|for)\s+{_NET})",
    re.IGNORECASE,
)
_NOUN_WORD = re.compile(rf"\b{_NOUN}\b", re.IGNORECASE)
# "add me on steam", "I'm on line": an everyday word that is a network here
_ON_NET = re.compile(rf"\b(?:me|i['’]?m|i\s+am)\s+(?:up\s+)?(?:over\s+)?on\s+{_NET}", re.IGNORECASE)


# the sentence hands an account over, so a word with a digit in it is its name: "my snap is
# jo_b99", "add me, jo.b99", "ig: jo.b99" (not "my xbox has gta5 and fifa23", "blink-182 on spotify")
_HANDED_OVER = re.compile(
    r"\bmy\s+(?:[\w-]+\s+){0,2}(?:is|are|was)\b|\bmy\s+[\w-]+['’]s\b|"
    r"\b(?:add|follow|find|dm|message|friend|msg|text|reach|search|look\s+for)\s+me\b|\bhmu\b|\bhit\s+me\s+up\b|"
    r"\b(?:i['’]?m|i\s+am)\s+(?!\w+ing\b)|\bas\b|\bunder\b|[:=@>/]|\s[-–—]\s|"
    rf"\b(?:{_ACCOUNT_WORDS}|profile|page|it['’]?s)\b",
    re.IGNORECASE,
)


def _sentence_named(sentence: str) -> bool:
    """The sentence names a network by a word that means nothing else ("steam" and "line" only
    with a noun such as "username" or "id"; a network of films, books or games only with a word
    of an account)."""
    nets = [m.group("net").lower() for m in _NAMED.finditer(sentence)]
    if any(n not in _WORDS and n not in _THINGS for n in nets) or _ON_NET.search(sentence):
        return True
    if any(n in _THINGS for n in nets):
        return bool(_ACCOUNT_NOUN.search(sentence))
    return bool(nets and _NOUN_WORD.search(sentence))


def _plain(m: re.Match[str]) -> Span | None:
    group = "handle" if m.group("handle") else "joined"
    return m.span(group) if may_name(m.group(group)) else None


def find(text: str) -> list[Span]:
    # each pattern needs a sign of its own: a slash, an at sign, a hash, or a network named
    signs = (("/", _LINK), ("/", _REDDIT_USER), ("@", _AT_HANDLE), ("#", _DISCORD_TAG))
    found = [m.span() for sign, pattern in signs if sign in text for m in pattern.finditer(text)]
    found += [m.span() for m in _SPOKEN_LINK.finditer(text)]
    if _OWNED.search(text) and not _THEIRS.search(text):
        found += [m.span() for pattern in (_OWN_SITE, _CREATOR_LINK) for m in pattern.finditer(text)]
    found += [m.span("tag") for m in _CASHTAG.finditer(text)] if _GIVING.search(text) else []
    found += [m.span(m.lastgroup or 0) for m in _CODE.finditer(text)]
    found += [m.span("handle") for m in _EVERYWHERE.finditer(text) if _MARK.search(m.group("handle"))]
    found += [m.span("handle") for m in _SHOP.finditer(text) if NO_WORD.search(m.group("handle"))]
    return found + _beside_a_network(text) if _NAMED.search(text) else found


def _beside_a_network(text: str) -> list[Span]:
    """Handles in a text that names a network: in one of the forms, before the network, spelt
    out after it, or in a sentence that names the network and hands an account over."""
    found = [m.span("handle") for pattern in _FORMS for m in pattern.finditer(text) if _accepted(text, m)]
    found += [  # opening a sentence, a handle with "_" or "." ("zilla_gamer on twitch"; not "blink182 on spotify")
        m.span("handle")
        for m in _BEFORE.finditer(text)
        if marked(m.group("handle")) and (m.group("opens") is None or _JOINED.search(m.group("handle")))
    ]
    found += [m.span("spelt") for m in _SPELT_JOINS.finditer(text) if m.group("net").lower() not in _WORDS]
    found += [m.span() for m in _SAME_AS_HERE.finditer(text)]
    if _FOLLOW.search(text):
        found += [m.span("handle") for m in _PLAIN_BEFORE.finditer(text) if may_name(m.group("handle"))]
    found += [
        m.span("spelt")
        for m in _SPELT.finditer(text)
        if m.group("net").lower() not in _WORDS and _SMALL.search(m.group("spelt"))
    ]
    before = ""  # the sentence before, if it named a network
    for sentence in SENTENCE.finditer(text):  # a network named here, and a handle beside it
        said, at = sentence.group(), sentence.start()
        named = _sentence_named(said)
        # or named just before, and one of the two says "username": "I'm on kik. username jo.b"
        if (named or (before and _NOUN_WORD.search(before + " " + said))) and _HANDED_OVER.search(said):
            found += [(at + m.start(), at + m.end()) for m in marked(said)]
        if named:
            spans = (_plain(m) for m in _NAMED_PLAIN.finditer(said))
            found += [(at + span[0], at + span[1]) for span in spans if span]
        before = said if named else ""
    return found
