"""Form bodies posted by pages, and how a form with problems is shown again."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any
from uuid import UUID

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


def _converted(value: object, to: Any, field: str) -> Any:
    """``value`` as the type ``to`` ("3" is a number, "2026-01-02" a date); a value it refuses is
    an ``Invalid`` naming ``field``, in the words a refused wire request earns."""
    try:
        return msgspec.convert(value, to, strict=False)
    except msgspec.ValidationError as exc:
        raise refusal(exc, field) from exc


def text(form: FormMultiDict, name: str, default: str = "") -> str:
    """The text typed in a field (its limits are the service's to check, and it names the field)."""
    value: str = _converted(form.get(name, default), str, name)
    return value


def optional_text(form: FormMultiDict, name: str) -> str | None:
    """The text typed in a field, or None when it is empty (an idempotency key, say)."""
    return text(form, name) or None


def texts(form: FormMultiDict, name: str) -> tuple[str, ...]:
    """Every value sent for a field that repeats (checkboxes)."""
    values: tuple[str, ...] = _converted(form.getall(name, []), tuple[str, ...], name)
    return values


def number(value: object, field: str) -> int:
    """A whole number sent as text (a version, a page)."""
    parsed: int = _converted(value, int, field)
    return parsed


def uuid_of(value: object, field: str) -> UUID:
    """An id sent as text."""
    parsed: UUID = _converted(value, UUID, field)
    return parsed


def optional_uuid(value: object, field: str) -> UUID | None:
    """An id sent as text, or None when nothing was sent."""
    return uuid_of(value, field) if value else None


def uuids(values: object, field: str) -> tuple[UUID, ...]:
    """Ids sent as text, in order."""
    parsed: tuple[UUID, ...] = _converted(values, tuple[UUID, ...], field)
    return parsed


def optional_date(value: object, field: str) -> dt.date | None:
    """A day sent as text (``2026-01-02``), or None when nothing was sent."""
    parsed: dt.date | None = _converted(value, dt.date, field) if value else None
    return parsed


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
