"""Each context rule of the screening lexicon, at its boundaries, and each personal-detail form.
The rules alone: the learned layer and the quality floors are tested in test_screening_learned."""

from __future__ import annotations

import pytest

from shared.safety import Level, find_personal_details
from shared.safety.screening import screen_text

pytestmark = pytest.mark.unit


def level(text: str) -> Level:
    return screen_text(text).level


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # negation right before a statement cancels it...
        ("I'm not going to kill myself.", Level.SENSITIVE),
        ("I would never hurt myself.", Level.SENSITIVE),
        ("I haven't self-harmed in four months.", Level.SENSITIVE),
        # ...but not when it is part of the risk, further away, or the writer is unsure
        ("I don't think I can go on.", Level.URGENT),
        ("I don't want to live like this.", Level.URGENT),
        ("I'm not okay and I want to die.", Level.URGENT),
        ("Not going to lie, I've been thinking about killing myself.", Level.URGENT),
        ("I can't promise I won't hurt myself tonight.", Level.URGENT),
        ("I'm not sure I can keep going.", Level.URGENT),
    ],
)
def test_negation(text: str, expected: Level) -> None:
    assert level(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I used to think about suicide a lot, but today marks a year without those thoughts.", Level.SENSITIVE),
        ("Five years ago I tried to take my own life.", Level.SENSITIVE),
        ("The old me would have wanted to die over this.", Level.SENSITIVE),
        ("When I was fifteen I self-harmed almost every day.", Level.SENSITIVE),
        ("Two years self-harm free today!", Level.SENSITIVE),
        # a word of now or of relapse keeps it urgent, whatever else the clause says
        ("I used to want to die and lately I feel that way again.", Level.URGENT),
        ("I started self-harming again after two years clean.", Level.URGENT),
        ("Ever since the breakup I've wanted to kill myself.", Level.URGENT),
        # recent time is present risk
        ("I overdosed last night.", Level.URGENT),
        ("I cut myself yesterday.", Level.URGENT),
        # a story told in the past carries to the next sentence in the past tense...
        ("In 2015 I was in a very dark place. I wanted to die every day.", Level.SENSITIVE),
        # ...but with no past frame, the past tense alone is ambiguous and stays urgent
        ("I wanted to die.", Level.URGENT),
        ("I tried to kill myself.", Level.URGENT),
    ],
)
def test_time(text: str, expected: Level) -> None:
    assert level(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("My friend said she wants to die.", Level.SENSITIVE),
        ("If you're thinking about suicide, please reach out.", Level.SENSITIVE),
        ("My partner self-harms and I'm learning to support him.", Level.SENSITIVE),
        ("My family would be better off without me.", Level.URGENT),  # the first person in the match
        ("My friend says I want to die too much to be helped.", Level.URGENT),  # the first person after
    ],
)
def test_someone_else(text: str, expected: Level) -> None:
    assert level(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I did a training on suicidal thoughts at work.", Level.SENSITIVE),
        ("My therapist asked about suicidal thoughts and I said no.", Level.SENSITIVE),
        ("The documentary about self-harm was hard to watch.", Level.SENSITIVE),
        ("I read an article about suicide and now I want to die again.", Level.URGENT),
    ],
)
def test_writing_about_the_topic(text: str, expected: Level) -> None:
    assert level(text) is expected


@pytest.mark.parametrize(
    "text",
    ["kms", "i wanna unalive myself", "thinking about sewerslide", "i dont want to be here anymore",
     "idc if i live or die", "urge to sh rn", "want to self delete"],
)  # fmt: skip
def test_slang_and_abbreviations(text: str) -> None:
    assert level(text) is Level.URGENT


@pytest.mark.parametrize(
    "text",
    ["I'm dying to see it", "I overdosed on chocolate", "I'm going to end it with Sam", "I don't want to wake up early",
     "My last post got kind replies", "I gave up sugar", "I want to disappear under a blanket", "I died a little inside",
     "Gonna binge-watch the series", "I bought a gun-shaped water pistol", "I don't want to live in this city"],
)  # fmt: skip
def test_idioms_and_objects_that_change_the_meaning(text: str) -> None:
    assert level(text) is Level.NONE


def test_warnings_follow_the_matched_group() -> None:
    assert screen_text("I cut myself again last night").warnings[0] == "self-harm"
    found = screen_text("Five years ago I tried to take my own life.")
    assert found.warnings == ("suicide",) and "intent (in the past)" in found.reasons
    assert all(reason.endswith("(in the past)") for reason in found.reasons)


@pytest.mark.parametrize(
    ("text", "kind", "found"),
    [
        ("robin{at}example{dot}net", "email", "robin{at}example{dot}net"),
        ("email me at jo [at] example [dot] com", "email", "jo [at] example [dot] com"),
        ("Mon numéro: +33 6 12 34 56 78", "phone", "+33 6 12 34 56 78"),
        ("phone: 0044 20 7946 0958", "phone", "0044 20 7946 0958"),
        ("call 555.123.4567 after six", "phone", "555.123.4567"),
        ("add me on snapchat: jo_smith22", "profile", "jo_smith22"),
        ("my discord is quietwalker#1234", "profile", "quietwalker#1234"),
        ("I'm u/quiet_walker on reddit", "profile", "u/quiet_walker"),
        ("linkedin.com/in/jo-smith-12345", "profile", "linkedin.com/in/jo-smith-12345"),
    ],
)
def test_more_personal_detail_forms(text: str, kind: str, found: str) -> None:
    (finding,) = find_personal_details(text)
    assert (finding.kind, finding.text, text[finding.start : finding.end]) == (kind, found, found)


@pytest.mark.parametrize(
    "text",
    ["I posted on Reddit for the first time", "Instagram is great for dog photos", "My blood pressure was 120/80",
     "I ran 5 km in 31:20", "We met at 5 at the park", "Three years clean on 12/03/2024!"],
)  # fmt: skip
def test_no_personal_detail_in_ordinary_text(text: str) -> None:
    assert find_personal_details(text) == ()


def test_a_supporter_writing_of_the_one_they_support_is_screened_as_present_risk() -> None:
    said = "Kit told me she wants to end her life tonight"
    assert screen_text(said).level is Level.SENSITIVE  # in one's own journal: about someone else
    assert screen_text(said, by_supporter=True).level is Level.URGENT
    assert screen_text("He said he has a plan to kill himself", by_supporter=True).urgent
    for calm in ("She used to self-harm, but she's doing so much better now", "He went for a walk with me"):
        assert not screen_text(calm, by_supporter=True).urgent, calm


@pytest.mark.parametrize(
    ("text", "kind", "found"),
    [
        ("I live at 14 Rosewood Close, Norwich", "address", "14 Rosewood Close"),
        ("hauptstraße 5, berlin", "address", "hauptstraße 5"),
        ("My name is Sophie Turnbull, find me on Facebook.", "name", "Sophie Turnbull"),
        ("my full name is aisha rahman, search for me", "name", "aisha rahman"),
        ("I'm jo.smith99 on tiktok", "profile", "jo.smith99"),
        ("snapchat - mollyk2003", "profile", "mollyk2003"),
        ("text me 0 7 7 0 0 9 0 0 1 2 3", "phone", "0 7 7 0 0 9 0 0 1 2 3"),
        ("call seven seven zero zero nine zero zero one two three", "phone", "seven seven zero zero nine zero zero one two three"),
    ],
)  # fmt: skip
def test_addresses_names_handles_and_numbers_written_to_get_past_a_filter(text: str, kind: str, found: str) -> None:
    (finding,) = find_personal_details(text)
    assert (finding.kind, finding.text, text[finding.start : finding.end]) == (kind, found, found)


@pytest.mark.parametrize(
    "text",
    ["I did five sets of ten squats and two laps of the park", "My name is on the waiting list for therapy",
     "I'm Sam, and I've been in recovery for two years", "One, two, three, breathe", "I'm new on instagram",
     "Look me up in a year and see how far I've come!", "We walked down Station Road"],
)  # fmt: skip
def test_ordinary_counting_streets_and_names_are_no_personal_detail(text: str) -> None:
    assert find_personal_details(text) == ()
