"""Look-alike pseudonyms share a skeleton; different ones do not."""

from __future__ import annotations

import pytest

from services.accounts.skeleton import skeleton

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("\u041c\u043e", "Mo"),  # Cyrillic Em and o beside Latin "Mo"
        ("MO", "Mo"),
        ("R0bin", "Robin"),  # a zero for an O
        ("\uff2do", "Mo"),  # a fullwidth M (NFKC)
        ("\u0391lex", "Alex"),  # a Greek Alpha
        ("Quiet  Fern", "quiet fern"),
        ("Zoe\u0308", "Zo\u00eb"),  # a combining diaeresis
    ],
)
def test_look_alikes_share_a_skeleton(one: str, other: str) -> None:
    assert one != other
    assert skeleton(one) == skeleton(other)


@pytest.mark.parametrize(("one", "other"), [("Mo", "Mi"), ("Robin", "Robyn"), ("Ana", "Anna"), ("Sam", "Sam 2")])
def test_different_names_keep_different_skeletons(one: str, other: str) -> None:
    assert skeleton(one) != skeleton(other)
