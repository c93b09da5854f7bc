"""Limits of what the API accepts, as types: msgspec checks them at the edge and OpenAPI shows them."""

from __future__ import annotations

import re
from typing import Annotated

import msgspec
from litestar.params import HeaderParameter, Parameter

from shared.contracts.common import PLAIN_TEXT

CONTROL_MESSAGE = (
    "This contains an invisible control character (such as NUL, a form feed or an escape) that we can't "
    "store or show. Please remove it; tabs and line breaks are fine."
)
_PLAIN = re.compile(PLAIN_TEXT)


def text(max_length: int, *, min_length: int = 0) -> msgspec.Meta:
    return msgspec.Meta(min_length=min_length, max_length=max_length, pattern=PLAIN_TEXT)


def is_plain(value: str) -> bool:
    """Whether ``value`` holds no control character but tab, newline and carriage return."""
    return _PLAIN.match(value) is not None


Name = Annotated[str, text(64)]
Password = Annotated[str, msgspec.Meta(max_length=1024, pattern=PLAIN_TEXT)]
Email = Annotated[str, text(254)]
Version = Annotated[int, msgspec.Meta(ge=1, le=1_000_000_000)]
Page = Annotated[int, Parameter(ge=1, le=10_000, description="Page number, from 1")]
IdempotencyKey = Annotated[
    str | None,
    HeaderParameter(
        name="Idempotency-Key",
        min_length=1,
        max_length=255,
        pattern="^[!-~]+$",
        required=False,
        description="Any unique string of up to 255 visible ASCII characters (a UUID is a good choice). "
        "A repeat of this request with the same key returns the first result and stores nothing new.",
    ),
]


_AT = re.compile(r" - at `\$\.?([^`]*)`$")
_LIMIT = re.compile(r"Expected `(str|int|array)`(?: of length)? (<=|>=) (\d+)")


def refused_field(message: str) -> str:
    """The field a msgspec error names (``$.entry.mood`` -> ``mood``, ``$.themes[0]`` -> ``themes``)."""
    found = _AT.search(message)
    return found.group(1).split("[", 1)[0].rsplit(".", 1)[-1] if found else ""


def friendly(message: str) -> str:
    """msgspec's wording of a refused value, for a person."""
    message = _AT.sub("", message)
    if "matching regex" in message and "x00" in message:
        return CONTROL_MESSAGE
    if "matching regex" in message:
        return "This has a form we don't accept; see the API reference at /schema."
    found = _LIMIT.search(message)
    if found:
        kind, op, n = found.groups()
        if kind == "int":
            return f"Please use a number {'no more than' if op == '<=' else 'no less than'} {n}."
        unit = "characters" if kind == "str" else "items"
        return f"Please keep it to {n} {unit} or fewer." if op == "<=" else f"Please give at least {n} {unit}."
    if message.startswith("Invalid enum value"):
        return f"{message}: please choose one of the values listed in the API reference at /schema."
    return message
