"""How a refused value is told to a person: msgspec's wording of a value that breaks a declared
limit, phrased plainly and tied to the field it names. Every side uses it — a service answering a
request its wire type refuses, web showing a form or an API problem again — so a limit says the same
thing wherever it is met."""

from __future__ import annotations

import re

import msgspec

from shared.contracts.common import PLAIN_TEXT
from shared.errors import FieldError, Invalid

CONTROL_MESSAGE = (
    "This contains an invisible control character (such as NUL, a form feed or an escape) that we can't "
    "store or show. Please remove it; tabs and line breaks are fine."
)
_PLAIN = re.compile(PLAIN_TEXT)


def is_plain(value: str) -> bool:
    """Whether ``value`` holds no control character but tab, newline and carriage return."""
    return _PLAIN.match(value) is not None


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


def refusal(exc: msgspec.ValidationError, field: str = "") -> Invalid:
    """The ``Invalid`` a refused request earns, naming the field it refused (``field`` when the
    value was converted on its own, so msgspec's message names no path)."""
    message, field = friendly(str(exc)), field or refused_field(str(exc)) or "request"
    return Invalid(f"Some details need another look: {message}", errors=(FieldError(field=field, message=message),))
