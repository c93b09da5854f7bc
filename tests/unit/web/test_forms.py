"""A posted form's line breaks count as the browser counted them: once each."""

from __future__ import annotations

import pytest
from litestar.datastructures import FormMultiDict

from web.forms import one_char_line_breaks, plain_form

pytestmark = pytest.mark.unit


def test_a_story_that_fitted_in_the_browser_fits_here() -> None:
    paragraphs = ["x" * 499] * 20  # 20 paragraphs: 9,980 characters and 19 line breaks as the browser counts
    typed = "\n".join(paragraphs)
    assert len(typed) == 9_999
    sent = typed.replace("\n", "\r\n")  # what the browser sends
    assert len(sent) > 10_000
    assert one_char_line_breaks(sent) == typed


def test_every_kind_of_line_break_becomes_one_newline() -> None:
    assert one_char_line_breaks("a\r\nb\rc\nd\r\n\r\ne") == "a\nb\nc\nd\n\ne"
    assert one_char_line_breaks("tab\tstays") == "tab\tstays"


def test_the_form_keeps_its_keys_and_repeats() -> None:
    form = FormMultiDict([("text", "one\r\ntwo"), ("themes", "a"), ("themes", "b"), ("kind", "victory")])
    plain = plain_form(form)
    assert plain.get("text") == "one\ntwo"
    assert plain.getall("themes") == ["a", "b"]
    assert sorted(plain.multi_items()) == [("kind", "victory"), ("text", "one\ntwo"), ("themes", "a"), ("themes", "b")]
