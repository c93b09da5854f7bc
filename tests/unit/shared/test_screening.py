"""Screening levels, context rules and personal details. Pure."""

from __future__ import annotations

import typing

import pytest

from shared.contracts.vocabulary import (
    CONTENT_WARNINGS,
    ENCOURAGEMENTS,
    MODERATION_REASONS,
    RECOVERY_THEMES,
    REPORT_REASONS,
)
from shared.safety import Level, find_personal_details, screen, screen_text
from web.api import stories_schemas as h

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    "text",
    [
        "I want to kill myself tonight",
        "I don't think I can go on",  # a negation that does not cancel the risk
        "I've been saving up my pills",
        "This is goodbye, everyone",
        "I can't do this anymore",
        "I cut myself again last night",
        "kms",
    ],
)
def test_present_risk_is_urgent(text: str) -> None:
    assert screen_text(text).level is Level.URGENT and screen(text)


@pytest.mark.parametrize(
    ("text", "warning"),
    [
        ("A year ago I tried to take my life; today I graduated", "suicide"),
        ("I used to think about suicide a lot, but today marks a year without those thoughts", "suicide"),
        ("Three years sober and I ran a 5k", "substance-use"),
        ("My dad died in spring and I still went to work", "grief"),
    ],
)
def test_the_past_and_recovery_are_sensitive_and_suggest_a_warning(text: str, warning: str) -> None:
    found = screen_text(text)
    assert found.level is Level.SENSITIVE and warning in found.warnings and not screen(text)


def test_the_past_with_a_present_marker_stays_urgent() -> None:
    assert screen_text("I used to want to die and I still want to die").level is Level.URGENT


@pytest.mark.parametrize(
    "text",
    ["I'm dying to see the new film", "I killed it at work", "This deadline is killing me", "I cut back on coffee",
     "Got out of bed and showered", "I made a plan for the week and I'm done with the laundry"],
)  # fmt: skip
def test_idioms_and_everyday_words_are_nothing(text: str) -> None:
    assert screen_text(text).level is Level.NONE


@pytest.mark.parametrize(
    ("text", "kind", "found"),
    [
        ("write to jo.smith@example.org please", "email", "jo.smith@example.org"),
        ("jo (at) example (dot) org", "email", "jo (at) example (dot) org"),
        ("jo at example dot com", "email", "jo at example dot com"),
        ("call +44 20 7946 0958", "phone", "+44 20 7946 0958"),
        ("ring 07700 900123 any time", "phone", "07700 900123"),
        ("my number is (555) 123-4567", "phone", "(555) 123-4567"),
        ("see instagram.com/jo_rec", "profile", "instagram.com/jo_rec"),
        ("I'm @jo_rec there", "profile", "@jo_rec"),
    ],
)
def test_personal_details_say_what_and_where(text: str, kind: str, found: str) -> None:
    (finding,) = find_personal_details(text)
    assert finding.kind == kind and finding.text == found and text[finding.start : finding.end] == found


@pytest.mark.parametrize(
    "text",
    ["On 3 March 2024 I walked 10,000 steps", "between 2019 2020 2021", "I met him at the shop", "look at me dot",
     "It was 2024-03-01", "I paid 12.50 for lunch"],
)  # fmt: skip
def test_ordinary_text_has_no_personal_details(text: str) -> None:
    assert find_personal_details(text) == ()


def test_the_http_schemas_offer_exactly_the_shared_vocabularies() -> None:
    for alias, vocabulary in (
        (h.Theme, RECOVERY_THEMES), (h.Warning_, CONTENT_WARNINGS), (h.Cheer, ENCOURAGEMENTS),
        (h.Reason, MODERATION_REASONS), (h.ReportReason, REPORT_REASONS),
    ):  # fmt: skip
        assert set(typing.get_args(alias)) == set(vocabulary)
    assert set(screen_text("suicide self-harm anorexia sober abuse; my dad died").warnings) == set(CONTENT_WARNINGS)
