"""A posted form's line breaks count as the browser counted them: once each; its strings become what
the request's fields hold, or a refusal naming the field."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

import pytest
from litestar.datastructures import FormMultiDict

from shared.errors import Invalid
from web.forms import (
    number,
    one_char_line_breaks,
    optional_date,
    optional_text,
    plain_form,
    text,
    texts,
    uuid_of,
    uuids,
)

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


def test_a_value_that_is_not_what_its_field_holds_is_refused_naming_the_field() -> None:
    with pytest.raises(Invalid) as refused:
        number("three", "expected_version")
    assert [e.field for e in refused.value.errors] == ["expected_version"]
    with pytest.raises(Invalid) as refused:
        optional_date("yesterday", "occurred_on")
    assert [e.field for e in refused.value.errors] == ["occurred_on"]
    with pytest.raises(Invalid) as refused:
        uuid_of(None, "template_id")
    assert [e.field for e in refused.value.errors] == ["template_id"]


def test_form_strings_become_what_the_request_holds() -> None:
    form = FormMultiDict([("themes", "a"), ("themes", "b"), ("idempotency_key", "")])
    assert number("3", "page") == 3
    assert optional_date("2026-01-02", "occurred_on") == dt.date(2026, 1, 2)
    assert optional_date("", "occurred_on") is None
    assert texts(form, "themes") == ("a", "b")
    assert optional_text(form, "idempotency_key") is None
    assert text(form, "missing") == ""
    assert uuids([str(UUID(int=1))], "entry_ids") == (UUID(int=1),)
