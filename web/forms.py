"""Form bodies posted by pages, and how a form with problems is shown again."""

from __future__ import annotations

from typing import Annotated, Any, TypeVar

import msgspec
from litestar.datastructures import FormMultiDict
from litestar.params import URLEncodedBody

from shared.contracts.common import PLAIN_TEXT
from shared.errors import DomainError, FieldError, Invalid
from shared.refusals import CONTROL_MESSAGE, is_plain, refusal
from web.api.limits import NextPath
from web.auth import Req

Typed = Annotated[str, msgspec.Meta(pattern=PLAIN_TEXT)]
"""What was typed, refused at the edge only for control characters: the accounts contract's
limits refuse what is too long, and the page shows that beside the field."""


class SignUpForm(msgspec.Struct, frozen=True, kw_only=True):
    pseudonym: Typed = ""
    email: Typed = ""
    password: Typed = ""
    next: NextPath = ""  # where to go once signed in (a path on this site, e.g. a claim link)


class SignInForm(msgspec.Struct, frozen=True, kw_only=True):
    email: Typed = ""
    password: Typed = ""
    next: NextPath = ""


W = TypeVar("W", bound=msgspec.Struct)


def to_wire(fields: dict[str, Any], request_type: type[W]) -> W:
    """A wire request from what a person sent (form strings are converted: "3" is a number); a
    value it refuses is a 422 naming the field, never a failure of ours."""
    try:
        return msgspec.convert(fields, request_type, strict=False)
    except msgspec.ValidationError as exc:
        raise refusal(exc) from exc


def one_char_line_breaks(value: str) -> str:
    """Every line break as one ``\n``. A browser counts a line break as one character against a
    textarea's ``maxlength`` but sends it as CR LF (HTML's form encoding), so a story that fitted
    in the browser would count as too long here."""
    return value.replace("\r\n", "\n").replace("\r", "\n")


def plain_form(form: FormMultiDict) -> FormMultiDict:
    """The form with its text values' line breaks as the person counted them (files untouched)."""
    return FormMultiDict(
        [(key, one_char_line_breaks(value) if isinstance(value, str) else value) for key, value in form.multi_items()]
    )


async def form_of(request: Req) -> FormMultiDict:
    """The posted form, with line breaks counted once (``plain_form``: the one place every page's
    form passes), refused (422, naming each field) if any value holds a control character other
    than tab and line breaks (the rule of every text field, ``PLAIN_TEXT``)."""
    form = plain_form(await request.form())
    bad = sorted({key for key, value in form.multi_items() if isinstance(value, str) and not is_plain(value)})
    if bad:
        raise Invalid(CONTROL_MESSAGE, errors=tuple(FieldError(field=key, message=CONTROL_MESSAGE) for key in bad))
    return form


SignUpData = URLEncodedBody[SignUpForm]
SignInData = URLEncodedBody[SignInForm]


def form_errors(exc: DomainError) -> dict[str, Any]:
    """Template context for a refused form: a summary and a message per field."""
    return {
        "error": exc.message,
        "field_errors": {e.field: e.message for e in exc.errors},
    }
