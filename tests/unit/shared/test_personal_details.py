"""Personal details, rounds four and seven: each new shape found where it is and as what, the
everyday writing nearest to each left alone, and every working details case of ``cases.toml``. Pure."""

from __future__ import annotations

import time

import msgspec
import pytest

from shared.safety import find_personal_details
from shared.safety.evaluate import load
from shared.safety.train import digest

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("text", "kind", "found"),
    [
        # addresses: flats and units, ordinal streets, streets before their numbers, postcodes
        ("we're in Flat 2, 9 North 3rd Avenue now", "address", "9 North 3rd Avenue"),
        ("Flat No. 14, Green Park Towers", "address", "Flat No. 14"),
        ("post it to P.O. Box 77, Tralee", "address", "P.O. Box 77"),
        ("Eircode A65 F4E2 if you're driving", "address", "A65 F4E2"),
        ("1200 Elm St, Denver", "address", "1200 Elm St"),
        ("Denver, CO 80202-1234", "address", "CO 80202-1234"),
        ("2/8 harbour st, Manly", "address", "8 harbour st"),
        ("Manly NSW 2095.", "address", "NSW 2095"),
        ("Pune 411001, near the station.", "address", "411001"),
        ("Prinsengracht 263, near the canal", "address", "Prinsengracht 263"),
        ("Rua Augusta 12, Lisboa", "address", "Rua Augusta 12"),
        ("an der Ecke, 1010 Wien", "address", "1010 Wien"),
        ("Gartenstr. 3, Bern", "address", "Gartenstr. 3"),
        # names offered for look-up, with accents, particles and prefixes, and in lower case
        ("I'm on LinkedIn as Aoife Ní Bhriain", "name", "Aoife Ní Bhriain"),
        ("friend me on facebook, Callum MacLeod", "name", "Callum MacLeod"),
        ("google Inés Domínguez Ruiz, that's me", "name", "Inés Domínguez Ruiz"),
        ("look me up - rosa van dijk", "name", "rosa van dijk"),
        ("I'm on instagram under the name Dara O'Brien-Kelly", "name", "Dara O'Brien-Kelly"),
        # handles with their network, in every order
        ("snap's moth.light", "profile", "moth.light"),
        ("tiktok -> wren_writes", "profile", "wren_writes"),
        ("my discord handle is fernleaf", "profile", "fernleaf"),
        ("my handle on twitch is slowbloom", "profile", "slowbloom"),
        ("snapchat me at pip.44", "profile", "pip.44"),
        ("known as bramble_9 on reddit", "profile", "bramble_9"),
        ("message me on insta, it's oak_and_ash", "profile", "oak_and_ash"),
        ("I'm on kik as nightowl.x", "profile", "nightowl.x"),
        ("my snap is jaybird.", "profile", "jaybird"),
        # phones: digits with look-alike letters, words and digits mixed
        ("ring me on O87 l23 4567", "phone", "O87 l23 4567"),
        ("call oh eight seven, 123, four five six seven", "phone", "oh eight seven, 123, four five six seven"),
        ("text 0 8 5 - 9 8 7 - 6 5 4 3", "phone", "0 8 5 - 9 8 7 - 6 5 4 3"),
        # e-mail addresses taken apart
        ("mel -at- posteo -dot- de", "email", "mel -at- posteo -dot- de"),
        ("rae(at)mailbox.org", "email", "rae(at)mailbox.org"),
        ("finn @ proton . me", "email", "finn @ proton . me"),
        ("t o m @ e x a m p l e . i e", "email", "t o m @ e x a m p l e . i e"),
        ("ana{dot}lopez{at}example{dot}es", "email", "ana{dot}lopez{at}example{dot}es"),
        ("it's ben_k at hotmail, say hi", "email", "ben_k at hotmail"),
        ("max (@) example (.) nl", "email", "max (@) example (.) nl"),
        # round seven: a mailbox named by its provider alone, with the local part in the sentence
        ("my hotmail is tam.o41", "email", "tam.o41"),
        ("drop me a line on outlook, wee.morag_7", "email", "wee.morag_7"),
        ("it's saltmarshwren on gmail", "email", "saltmarshwren"),
        # a handle after a network named with a noun, or in the sentence before
        ("found me on Discord, username mossy_kettle9", "profile", "mossy_kettle9"),
        ("I'm on kik too. username bracken.fox", "profile", "bracken.fox"),
        ("playstation id is FernyHollow", "profile", "FernyHollow"),
        ("on tumblr i'm tea-and-toast-club", "profile", "tea-and-toast-club"),
        # names: asked for in the next sentence, in parts, of someone else, in lower case with a place
        ("Real name's Jo Bellamy. Google me.", "name", "Jo Bellamy"),
        ("It's Kofi Mensah btw, look me up", "name", "Kofi Mensah"),
        ("Surname's Odinga, first name Ruth. Look me up.", "name", "Odinga, first name Ruth"),
        ("My aunt is Bríd Kearney in Sligo, look her up", "name", "Bríd Kearney"),
        ("look up tam reid from oban, im the only one", "name", "tam reid"),
        ("full name is rab mackay, search me", "name", "rab mackay"),
        # a review's plain details: more networks and mailboxes, names with a way to be reached
        ("My linkedin is jo-bell-1234", "profile", "jo-bell-1234"),
        ("add me on roblox: quietfox4471", "profile", "quietfox4471"),
        ("email me at jo.bell88 on ymail", "email", "jo.bell88"),
        ("my btinternet is jo.bell88", "email", "jo.bell88"),
        ("I'm Jo Bell from Leeds, hmu.", "name", "Jo Bell"),
        # held after a review of round ten: a name "under the real name", a handle opening a line
        ("find me on fb under the real name Jo Bell", "name", "Jo Bell"),
        ("hi all\nzilla_gamer on twitch, come say hi", "profile", "zilla_gamer"),
        ("I'm Priya Raghavan, the pharmacist at the Boots on Mill Road, come say hi", "name", "Priya Raghavan"),
        ("kim-lee at example dot com", "email", "kim-lee at example dot com"),
        ("Call me Jo Bell, look me up", "name", "Jo Bell"),
        ("My old counsellor was Ffion Rees in Bangor, look her up", "name", "Ffion Rees"),
        # round twelve: other words for the at sign and the dot, letters spaced around "at", a
        # domain with its dots left out
        ("email kim point sorensen snail gmail point com", "email", "kim point sorensen snail gmail point com"),
        ("nasrin [snail] yahoo [dot] co [dot] uk", "email", "nasrin [snail] yahoo [dot] co [dot] uk"),
        ("tiggy.pemberton🐌gmail.com, the snail is the at", "email", "tiggy.pemberton🐌gmail.com"),
        ("w a l t e r b l o o m (at) g m x . d e", "email", "w a l t e r b l o o m (at) g m x . d e"),
        ("my uni email is s2368104 at ed ac uk", "email", "s2368104 at ed ac uk"),
        # a number with words between its parts, and a chat opened on it
        ("text me: 07700, then nine hundred, and the last bit is 461", "phone", "07700, then nine hundred, and the last bit is 461"),
        ("my number starts 0772 and ends 8812, middle is 400. text me", "phone", "0772 and ends 8812, middle is 400"),
        ("message me on wa.me/447700900862", "phone", "wa.me/447700900862"),
        # names with a title, a middle name, a Mac after a hyphen, a town; handles spelt out
        ("Rev. Augustine Oyelaran-Hughes is my real name, come and find me", "name", "Augustine Oyelaran-Hughes"),
        ("First name Ximena, middle name Paloma, surname Echeverria-Lutz. Add me on facebook.", "name",
         "Ximena, middle name Paloma, surname Echeverria-Lutz"),
        ("I'm Callum Ross-MacAskill, I work at the leisure centre in Portree, come and say hello", "name",
         "Callum Ross-MacAskill"),
        ("my ex is called Darren Whitcombe-Price, look him up", "name", "Darren Whitcombe-Price"),
        ("insta is cobalt underscore kettle underscore nine, all lowercase", "profile", "cobalt underscore kettle underscore nine"),
        ("I'm cinnamonreel on letterboxd if anyone wants to follow", "profile", "cinnamonreel"),
        # addresses in words, on a rural route, after a state's name
        ("seventy-two Orchard Lane in Bicester, the gate sticks", "address", "seventy-two Orchard Lane in Bicester"),
        ("mail comes to Rural Route 3, Box 47A out here", "address", "Rural Route 3, Box 47A"),
        ("send it to Hollis, Oklahoma 73550.", "address", "Oklahoma 73550"),
        # an organisation's place or address, where the text makes it someone's own
        ("I live in the flat above the cafe at 88 Queen Street", "address", "88 Queen Street"),
        ("hello@wrenfield.com is my shop email, it comes straight to me", "email", "hello@wrenfield.com"),
        # held after a review of round twelve
        ("I work at Mind, email me at sarah.jones@mind.org.uk", "email", "sarah.jones@mind.org.uk"),
        ("drop a line to hello@priyanair.com any time", "email", "hello@priyanair.com"),
        ("w a l t e r b l o o m a t g m x . d e", "email", "w a l t e r b l o o m a t g m x . d e"),
        ("07700 900, last three digits are 461, text me", "phone", "07700 900, last three digits are 461"),
        ("07700 900 then the last bit's 461, text me", "phone", "07700 900 then the last bit's 461"),
        ("I've got a room at 45 Albert Road, Leeds, visitors welcome", "address", "45 Albert Road"),
        ("I'm renting above the pub at 3 Church Lane, come by anytime", "address", "3 Church Lane"),
        ("twenty two Harbour View Road, Filey, come by", "address", "twenty two Harbour View Road, Filey"),
        ("first name Ana, middle names Maria Clara, surname Souza, find me on facebook", "name",
         "Ana, middle names Maria Clara, surname Souza"),
        ("Dr. Marguerite Ellsworth-Tan, that's me, look me up", "name", "Marguerite Ellsworth-Tan"),
        ("my ebay shop is BramblewickCeramics, have a look", "profile", "BramblewickCeramics"),
        # a family is named in the plural, a shop or a pub by its own name
        ("We stayed with the Hendersons at 40 London Road, Bristol", "address", "40 London Road"),
        ("I live above the Costa on 12 Mill Lane, Leeds", "address", "12 Mill Lane"),
        ("Dave's moved into the Old Rectory at 3 Church Lane, Ely", "address", "3 Church Lane"),
        ("We're staying with the Kowalski Family at 40 London Road, Bristol", "address", "40 London Road"),
        ("I'm in the Airbnb at 12 Mill Lane, Leeds, come by", "address", "12 Mill Lane"),
        ("my sister's house, twenty-two Harbour View Road, Filey", "address", "twenty-two Harbour View Road, Filey"),
        ("come to my mum’s house, twenty-two Harbour View Road, Filey", "address", "twenty-two Harbour View Road, Filey"),
        ("my nan is at twenty-two Harbour View Road, Filey", "address", "twenty-two Harbour View Road, Filey"),
    ],
)  # fmt: skip
def test_each_shape_is_found_where_it_is_and_as_what(text: str, kind: str, found: str) -> None:
    (finding,) = find_personal_details(text)
    assert (finding.kind, finding.text, text[finding.start : finding.end]) == (kind, found, found)


@pytest.mark.parametrize(
    "text",
    [
        # counting is not dialling; numbers that count are not house numbers
        "I counted 1 2 3 4 5 6 7 8 9 10 11 12 and my heart slowed down",
        "nine, eight, seven, six, five, four, three, two, one: lift-off, I left the house",
        "Week 6 park walk done, and day 40 hill climb tomorrow",
        "I cycled 12 km past Harbour Road and back",
        "Sleep 8 h. Walk 40 min. Water 2 L. Road trip next week",
        # networks named, handles not given
        "My Instagram is full of dogs and I love it",
        "My tiktok is private.",
        "Instagram is exhausting.",
        "Discord: where I finally made friends",
        "follow me on instagram for the dog pics",
        "my signal is weak out here.",
        "I'm on twitter as well, mostly lurking",
        "add me on snapchat tonight",
        # names of other people, and of people someone talks about
        "Look up Matt Haig's book, it helped me so much",
        "Search for Grounding Exercises on YouTube, they helped",
        "My friend Ruth Mbeki came to the group with me",
        # at and dot in ordinary sentences
        "I'm good at Outlook now, inbox zero!",
        "I was at home. Me and the cat watched films.",
        "we were at Tesco. It was busy",
        # numbers that are not addresses
        "In 1500 BC people had it harder",
        "We hiked 20000 Steps, what a day",
        "The 2020 fires in NSW scared me",
        "I saved Rs 100000 this year",
        "Unit 5 of my workbook is about anger",
        "I got there via York 3 hours late",
        # counts that a state, a town or a network could be read into
        "OK 10000 steps today, so proud",
        "HI 20000 words written this month",
        "Walked today, 10000 Steps done",
        "Day 40, 1500 Calories",
        "Saved 250000.",
        "Total 150000 and counting",
        "Took 2 x 50mg at 8:30 this morning as prescribed.",
        # numbers in parts that are not handed over to be rung, and a house number that is no address
        "I set 3 alarms: 7.00, 7.10, 7.20. got up at the third",
        "walked 10,000 steps, then 12,000 the next day",
        "room 101 then 102 then 103, what a maze",
        "Scores: 10/10/10/10/10/10",
        "Number 1 fan of Baker Street here",
        "we moved into number 4 last year",
        "the number 42 at the stop on Station Road was late again, had to ring work",
        "numbers to save in your phone: 999, 111, 116 123",
        "my lottery numbers are 4, 17, 23, 31, 42, 49 and they never come up",
        "My GP rang with my PHQ-9 scores: 22, 19, 17, 14, 11, 9. Actual progress",
        "Rome trip memories: Piazza Navona 2019, Trevi Fountain 2022, both with my sister",
        "my pin code is 000000, I know, I know",
        # names that are no one's to look up: a greeting, a character, an author, a title, a trivia
        "Hi Everyone, its me again, week three of the new meds",
        "Bridget Jones, that's me most nights",
        "look up Matt Haig on instagram, his posts got me through winter",
        "look for Yoga With Adriene on tiktok too, i'm on day 12",
        "Elton John's real name is Reginald Dwight, google it",
        "find my dad decent trainers in the sale, that's the mission",
        # networks and web addresses named with ordinary words
        "discord is chaos, message me here instead",
        "Best sleep stories on yt: Headspace.",
        "the chords for the first line: G D C G D",
        "ordered it at amazon.co.uk and it came the next day",
        # a review's probes: a relative who is no tie to the person looked up, a ranking, counts
        "Look up Matt Haig on Instagram, my friend sent me his posts.",
        "My partner and I love her. Look up Glennon Doyle on Instagram.",
        "We finished number 3 at the quiz night at the Red Lion on Castle Street, Llandeilo.",
        "Savings went 12500 then 13800 then 15100, a nice texture to the year",
        "My step count went 11000 then 13500 then 15200 this week, message me if you want to join",
        "Did 3 x 10kg squats",
        "Played xbox 3v3 today",
        # letters that fold to a number word only outside ASCII ("fıve", "ſix") never reach the count
        "fıve fıve fıve one two three four five six",
        "ſix ſix ſix one two three four five six seven eight",
        # round seven: mailboxes and networks named with nothing that finds anyone
        "my gmail is full of spam again",
        "my gamertag is embarrassing so I keep it to myself",
        "my discord username is in my bio",
        "the gmail app crashed at 10pm and 2fa took ages",
        # look-ups of things, not people, and capitalised things that are no one's name
        "google grounding exercises on youtube, thats me every night",
        "look up support groups from the council, thats me sorted",
        "It's Mental Health Week. Look me up on fb if you want a chat",
        "It's World Mental Health Day. Google it.",
        "I'm so tired. Find me on fb later",
        # a review's look-alikes: everyday words that name a mailbox or a network, things with a
        # number, what one says of an account, people one recommends, and habits
        "My outlook on life changed after covid-19.",
        "My whole outlook shifted in year11.",
        "My gmail app on my iPhone13 keeps crashing.",
        "Yahoo, it's Friday!",
        "Outlook: hopeful.",
        "Gmail, it's rubbish.",
        "it's cheaper on yahoo",
        "My discord username? Forgot it lol.",
        "I'm on tiktok, it's my identity.",
        "My insta is mostly dogs. I post under my own name anyway.",
        "I'm on kik too. Username forgotten.",
        "I'm on snapchat. I'm well-rested.",
        "I got a new iPhone15 and deleted snapchat.",
        "I'm on discord now. Sertraline helped, 50mg daily, since feb.2024.",
        "My gamertag is cringe.",
        "My favourite author is Matt Haig. Look him up.",
        "My psychiatrist was Gwen Adshead, look her up.",
        "If you can't sleep, just type rain sounds, it really helps.",
        "On facebook just type rain sounds, it really helps.",
        "I was under heavy sedation. Find me on fb if you want to talk.",
        "Type Recovery Stories into youtube, thats me every night.",
        "look up parkrun events in york, thats me every saturday",
        "my lottery numbers this week: 03 11 19 27 35 and the bonus ball",
        "look up Box Breathing on TikTok, i'm telling you it works",
        "Brought to you by the number 7, Sesame Street",
        # a review's probes of round ten
        "my gmail is full of spam from pets4homes since i looked at puppies",
        "I donated to ko-fi.com/mindcharity today",
        "I bought a print from artstation.com/artwork/xyz123",
        "that party was a riot haha #fun",
        "group starts @7PM on thursday",
        "whats everyones darts scores? 180 140 100 60 45 tonight",
        "we live in flat 3, block of flats",
        "They were number 2 on Abbey Road, London for weeks",
        # older shapes that a probe of round ten found in ordinary writing: authors looked up while
        # "i'm reading", feelings after "im", a band's or a singer's name, titles beside a network,
        # times after "@", a dose per day, a receipt, scores and counts, draws, helplines, a shop's or
        # a bus's number on a street, counts before "way", "walk" or "drive", "M25 2am", a time "at live" music night, an inbox full of a shop's mail
        "search for Matt Haig, I'm reading his book and it's helping so much",
        "look up fearne cotton on instagram, i'm listening to her podcast on the bus every day",
        "im barely coping. text me if you're up late too",
        "i am beyond exhausted. message me if anyone else is awake",
        "elton john's real name is reginald dwight, google it",
        "the band name is Arctic Monkeys, google them if you've never heard them",
        "who sings it? it's Lewis Capaldi btw, look him up",
        "my roblox account is older than my little brother",
        "my tiktok account is purely for cat videos, nothing else",
        "my xbox has gta5 and fifa23, thats my evening sorted",
        "listening to blink-182 on spotify, feeling 15 again",
        "watching bbc3 on youtube, the documentaries are so good",
        "group starts @7pm on thursday, see you all there",
        "coffee @10 tomorrow before the meeting?",
        "Costa receipt said order#4471, they still got it wrong lol",
        "basal is 18 u/day now, the nurse is happy with my numbers",
        "darts last night: 180 140 100 60 45, my best ever",
        "squat sets 100 105 110 115 kg, new pb",
        "7 times table for homework: 7 14 21 28 35 42 49 56",
        "my lottery numbers are 12 04 33 19 41 27, same every week since my dad passed",
        "bingo calls tonight 7 22 45 61 88 3 19 and i was one off a full house",
        "CALM helpline is 0800 58 58 58, they were so kind to me",
        "SANEline is 0300 304 7000 if anyone needs it tonight",
        "our zumba teacher shouts one two three four, five six seven eight, one two three four",
        "it's number 10 on Downing Street, London, that's where it all goes wrong",
        "the chippy is number 1 on Bridge Street, Ely, no contest, pop in if ur passing",
        "my bus is number 38, it runs down Essex Road, Islington, takes forever",
        "it's number 4, near the bandstand on Marine Parade, Brighton, the best ice cream stall",
        "our table is number 6, by the window at the Ivy on West Street, London, treat for my birthday",
        "the gym is unit 4 on Riverside Way, Leeds, come along to the free class saturday",
        "we rent a 2 bed terrace in town, it's tiny but it's ours",
        "£5 each way on the grand national, lost it all lol",
        "did a 10k sponsored walk for mind, feet destroyed",
        "bought a 2 TB hard drive for all my photos",
        "had 2 really close calls on the bike this week, shaken",
        "lost 2 more st this year, slow and steady",
        "tried 3 different street food stalls at the market",
        "took the 23 Kingston Rd bus and got lost anyway",
        "stuck on the M25 2am coming back from the hospital, exhausted",
        "took my B12 1mg and D3 this morning like the GP said",
        "bought a PS5 2nd hand, my boy is over the moon",
        "KS2 1st week of sats, my daughter was so brave",
        "in the T20 20th over he hit three sixes, screamed at the telly",
        "doors 7pm at live music night in the pub, come along",
        "its headline on yahoo news, they finally did something about waiting lists",
        "the email's stuck at outlook, IT says give it an hour",
        "my outlook has changed so much since I started couch25k",
        "hotmail - yikes. switched to gmail years ago",
        # round ten's shapes, in ordinary writing: a public figure's event, a character, a lesson,
        # a nickname, a pet; a charity's or a creator's page; titles beside networks of things;
        # clock times, a readback, product codes, a form's example address
        "Ruby Wax - live at the Brighton Dome on Friday, come along, its gonna be class",
        "Nadiya Hussain, book signing at Waterstones in Leeds on saturday, pop in and say hi to her",
        "I'm seeing the comedian at the Leeds Grand, Sarah Millican, come along if you can get tickets",
        "I queued for two hours at Waterstones for the signing, Matt Haig, come along next time its worth it",
        "the person crying at the back of every Adele gig is me, Captain Emotional.",
        "the one who ate all the biscuits at group is me, Cookie Monster. come and stop me next week",
        "im fully caffeinated. come and say hi in the chat room",
        "the dog's name is biscuit mcfluff, come and say hi to him at the park meetup",
        "Austen, Jane. That's how the library shelves her, look her up",
        "I'm Team Edward forever, come round and watch twilight with us",
        "I'm Lady Macbeth in the amateur dramatics play, come and see it, tickets are a fiver",
        "come and see me as Lady Macbeth in the summer play, it's terrifying lol",
        "spanish class tonight, we practised me llamo Pedro Sánchez and then laughed. come along next week if you fancy it",
        "my boyfriend Harry Styles is touring again lol, come to Wembley with me",
        "Joe Wicks here, I'm the guy in your living room at 9am, said the advert, come along and try pe with us",
        "Paddington Bear, I'm the one with the marmalade at the station, says my son's school play script, come and watch",
        "Bear Grylls, in the wild at Snowdonia, come and watch the doc with us, it's on at 8",
        "the maths teacher in my favourite show is me, Mister Escalante, pop in for maths tips lol",
        "Leeds United FC 2019 2020 2021 seasons were a rollercoaster",
        "cashapp $Boosts are a scam honestly",
        "donated to the food bank through paypal.me/trusselltrust, small win",
        "the creator of the podcast has a patreon.com/philosophytube page, so worth it",
        "buymeacoffee.com/yogawithadriene if anyone wants to support her, she's been my therapy",
        "the charity blog at mindcharity.wordpress.com has loads of tips",
        "celeste was made by maddymakesgames.itch.io and it's about anxiety, recommend",
        "flickr.com/photos/nasa has the most calming space pics",
        "logged dune2 on letterboxd, 5 stars, cried",
        "duolingo streak: 365days!! small win of the year",
        "nintendo says the switch2 is out in june, saving up",
        "im day400 on duolingo! spanish is slowly sticking",
        "the book's name is Circe, added it on goodreads.",
        "my goodreads goal: 52books this year, on 12 so far",
        "my sleep times this week: 0715. Then 0745. Then 0815. text me if you're an early riser too",
        "trains are 0715, then 0745, then 0815, I'll text you which one I get",
        "the pilot read back one one niner, two two five, three three zero and we landed fine",
        "use code T4H 1P3 at checkout for 20% off the journal",
        "printer error code B3C 1A2, I give up on technology",
        "on the form it wants your email, so it's your name, then the at sign, then whatever.com, easy",
        "the helpdesk is support, then the at sign, then nhs.net, they sorted my login",
        "wore my polka dot dress at live music night and felt pretty for once",
        "Elton John, at the O2 in London next week, come and say hi if you're going, I'll be the one crying",
        "I'm going to the Alan Carr show at the Palladium, Alan Carr, come along we have spares",
        "Marisa Tomei, in the film at the Odeon in Hove, pop in its on till thursday",
        "cashapp $Name is what the scam messages say, don't fall for it",
        # round twelve: a charity's own mailbox, times handed over, a long word saying how one posts
        "Samaritans also do email, jo@samaritans.org, for people who can't face a phone call",
        "the trains are 0715, then 0745, and the last one is 0815, text me which you get",
        "I'm political on twitter and hopeless on tiktok",
        "Three Bridges Road, Crawley was where the group met",
        "The library's events email is events@leedslibraries.gov.uk if you want the knitting circle dates",
        "The cafe at 88 Queen Street does a pay it forward coffee board",
        "My etsy shop is doing well!!! Three orders this week",
        # held after a review of round twelve
        "We all get there at some point in our lives, and that's ok.",
        "It was 28.5 at work with no ac in the office, I nearly fainted.",
        "My signal is one dot and keeps dropping",
        "I'm paranoid on facebook these days, I never post",
        "I'm moderator on reddit for a small gardening sub.",
        "My etsy shop is TikTok famous now",
        "I did the twenty-six Mile Walk in Bath",
        "I watched twenty-one Jump Street in Leeds last night",
        "I watched twenty-one Jump Street in Leeds with my mum",
        "I get my meds from the Tesco at 40 London Road now",
        "The Red Lion on 4 High Street does a quiz on Thursdays",
        "Fancy meeting at the Costa on 12 Mill Lane?",
        "my mum works at the Aldi on 40 London Road",
        "Our team did the twenty-six Mile Walk in Bath for our charity",
        "The post office at 5 Mill Road is closing, which is sad for the older folk.",
        "The foodbank at 12 Albert Road needs volunteers this winter.",
        "We're in the church hall at 3 Victoria Road, if anyone wants to help or needs a parcel, just come in",
        "I'm Manchester United mad, always arguing in facebook groups",
        "I'm Taylor Swift obsessed, ask my mum for her opinion",
        "Sad Girl Autumn is my name for it, search that on tiktok lol",
        "For tickets write to boxoffice@thecivic.co.uk, they're really helpful.",
    ],
)  # fmt: skip
def test_the_everyday_writing_nearest_each_shape_has_no_detail(text: str) -> None:
    assert find_personal_details(text) == ()


# the working cases the finders miss, each of a shape that would catch ordinary writing too, or
# too rare to be worth a pattern of its own
KNOWN_MISSES = [
    # a plain word named as a mailbox or a network after "is" reads like what one says of it ("my
    # yahoo is ancient", "discord is chaos, message me"), so it is left alone
    "proton is quietheron, I feel safer talking on that one",
    # lower-case words after "search" or "google", three of them ("search sleepy cat asmr on
    # tiktok, i'm obsessed"), or with no network or "that's me" beside them
    "search javier montoya ruiz on facebook, soy yo, the one from Valencia",
    "search arjun menon kochi on insta, that's my personal account",
    "if u google marisol quintero austin the first thing that comes up is me",
    # someone looked up on a network, who the writer does not say is theirs (a well-known author
    # looked up on Instagram is the same shape), and a look-up said with "searching"
    "look up Siobhán Ní Dhomhnaill on fb, she set up the book club that saved me and she'd love to hear from you",
    "searching Dolores P. Whitcombe on linkedin will get you me",
    "discord is brackenowl, add me if you want someone to play minecraft with at 2am",
    # a plain word after networks where it is as often a thing ("on vinted: cashmere, £8!")
    "depop and vinted both: thrifty_thistle, I sell my crochet there",
    # an address spelt out in words ("then a full stop"), a mailbox called "the usual google one",
    # and dots followed by spaces, which end sentences everywhere else
    "Email me? It's pip, then a full stop, then quennell, and it's a gmail.",
    "you can reach me on the usual google one, bluebirdbea2004",
    "e mail: dorothea. vance @ gmail. com",
    # "niner" for nine, which is a pilot's readback as often
    "if you wanna talk my number is 0 7 7 zero zero niner zero zero 5 3 one",
    # a name in person with no "I" beside it ("Year 4 teacher at ...", "second year at ...", "is me,
    # Anand"), the shapes of a public figure's event ("Ruby Wax, live at the Dome, come along");
    # lower-case names after "its" or "im" that run on into the rest of the sentence; names with a
    # note in brackets between them and the rest; a surname first, with how it "reads"
    "the maths teacher at St Bede's in Lancaster is me, Anand Subramaniam, the kids would be shocked I post here",
    "Akosua Frimpong-Mensah, Year 4 teacher at Woodside Primary in Croydon, say hi at the school gate",
    "Sato Yuki, second year at Leeds Conservatoire, find me in the practice rooms, I'm always there",
    "Fitzgerald, Aoife. That's how it reads on the staff board at the Galway Clinic, come say hello",
    "its rukhsana begum, i work the pharmacy counter at the asda in bury, come say salaam",
    "NAKASHIMA Ren (family name first), I'm on LinkedIn under that, Osaka branch",
    "Chen Jiaxin (Chen is my surname), I'm at the uni badminton club on Thursdays, come find me",
    "im krystof dvorak, the chef at the czech place on bath road in slough, ask for me at the counter",
    # a name said with a town and "everyone knows me", beside "ask anyone" (a local celebrity's
    # shape); a lower-case name with an initial and a town, run together after "googling"
    "Six weeks out of the psych unit and I'm doing grand, mostly. Mam has me helping in the shop again and I'm "
    "sleeping at night. The lads from the GAA club have been brilliant, calling in and dragging me to training. "
    "Cathal Mulrooney from Kiltimagh, everyone knows me, ask anyone in the town where I am if you're ever passing. "
    "I'd buy you a pint, well, a mineral now.",
    "googling bartholomew q fennimore tacoma will get you straight to me, there's no one else with that name",
    # a channel or gamertag of several capitalised words, as a film's or a show's title is; a page
    # for payment with no word that it is the writer's own (a charity's is the same shape)
    "my channel on youtube is Rambling With Ravi, it's just me filming my walks round the canal",
    "xbox gt is Lamplight Loki (there's a space in it), add me",
    "paypal.me/mossgreenmarta for the recovery zine, pay what you can",
    # a house number in words in lower case; a handle before its network with nothing to mark it and
    # no ask to follow ("i'm nightowlnora on instagram" reads as "i'm paranoid on instagram" does); a
    # handle spaced out; a plain word after a network that is an everyday word ("vsco: moody"), as for
    # vinted above
    "i live on forty two elm street springfield, the blue door",
    "i'm nightowlnora on instagram",
    "insta is @ sam . draws . stuff",
    "vsco: greyskiesgreenleaves",
    # an address in parts named by what they are
    "My email is (first name) juno (surname) pelletier, all one word, at gmail dot com",
    # a number in parts named by where they sit, with no word of calling but "number"
    "number split so the bot doesn't eat it: first part 07700, middle 900, last bit 719",
]


# the ordinary working texts the finders flag: a helpline's own address with a first name for its
# local part, not named as the helpline's (the shape of "email jo@gmx.net if you'd rather write");
# the street of a place named by its own name, not by what it is (the shape of "Jo Bell, 7 Mill Lane")
KNOWN_FALSE_FINDINGS = [
    "Booked my first pottery class! Clay Corner, 7 Mill Lane, Thursday evenings. Terrified but booked.",
    "Bought wool at Knit & Natter, 4 Cross Street. The owner showed me a new stitch. I'm making a scarf nobody asked for.",
    "The museum is free on Sundays, Museum of the City, 1 Castle Square. Wandered round for two hours.",
    "PSA: you can email jo@samaritans.org if you'd rather write than call. It took about a day to get a reply when "
    "I tried it, so it's not for emergencies, but it was so much easier for me to put things into words when I "
    "could take my time. They wrote back properly, not a template. Worth knowing.",
]


def test_every_working_details_case_is_found_and_ordinary_text_is_left_alone() -> None:
    missed, flagged = [], []
    for group in load().details:
        for text in group.texts:
            kinds = {f.kind for f in find_personal_details(text)}
            if group.kind == "none" and kinds:
                flagged.append(text)
            elif group.kind != "none" and group.kind not in kinds:
                missed.append(text)
    assert sorted(missed) == sorted(KNOWN_MISSES) and sorted(flagged) == sorted(KNOWN_FALSE_FINDINGS)


def test_the_working_crisis_cases_hold_no_personal_detail() -> None:
    texts = [t for g in load().cases for t in g.texts]
    assert [t for t in texts if find_personal_details(t)] == []


def test_long_runs_of_one_character_or_word_are_read_in_linear_time() -> None:
    # an unbroken word of 10,000 letters once took 1.7 s (the e-mail pattern tried from every
    # position to the end); each of these long runs is read in milliseconds now
    for text in ("x" * 50_000, "a " * 25_000, "jo dot " * 7_000, "1 " * 25_000, "Ab-" * 15_000,
                 "gmail " + "ab." * 15_000, "discord username " + "abc-" * 12_000, "look me up. " + "im " * 20_000,
                 "my name is " + "Ab " * 15_000 + "find me",
                 # particles that are names too, once split every way (8 s for 1,600 characters)
                 "Aaa " + "Nic " * 12_000 + "x, that's me", "look up Aaa " + "Mac " * 12_000 + "on fb",
                 "same name across " + "a" * 50_000 + "/", "call me " + "123 then " * 6_000,
                 # a hyphen that could start a spelt "-dot-" (seconds at 200 characters), and the
                 # tests of a whole text once made for every match
                 "a-dot-" * 4_000 + "a at x", "x at " + "a-dot-" * 4_000 + "com", "cashapp $ab " * 2_000 + "send",
                 "elton's name is " + "jo bell, look me up. " * 1_000, "doors 7pm at live " * 2_000,
                 # round twelve: a part after a hyphen read two ways ("-Macab": seconds at 150
                 # characters), and a text's sentences found again for every address in it
                 "look me up: Jo" + "-Macab" * 3_000, "I'm Jo" + "-Mcab" * 3_000 + ", come and say hi",
                 "the cafe at 88 Queen Street, " * 700, "email me: " + "a point " * 2_500 + "at x point com",
                 "text me 0 " + "then 0 " * 3_000, "a " * 10_000 + "at g m x . d e", "snail " * 5_000,
                 "Dr. " * 5_000 + "Jo Bell, that's me", "flat three, " * 2_000 + "twenty-two Mill Road, Ely"):  # fmt: skip
        began = time.perf_counter()
        find_personal_details(text)
        assert time.perf_counter() - began < 2.0, text[:10]


def test_personal_detail_groups_are_not_what_the_learned_layer_learns_from() -> None:
    cases = load()
    assert digest(msgspec.structs.replace(cases, details=[])) == digest(cases)
