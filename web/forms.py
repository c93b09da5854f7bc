"""Form bodies posted by pages, and how a form with problems is shown again."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar.params import URLEncodedBody

from shared.errors import DomainError


class SignUpForm(msgspec.Struct, frozen=True, kw_only=True):
    pseudonym: str = ""
    email: str = ""
    password: str = ""


class SignInForm(msgspec.Struct, frozen=True, kw_only=True):
    email: str = ""
    password: str = ""


SignUpData = URLEncodedBody[SignUpForm]
SignInData = URLEncodedBody[SignInForm]


def form_errors(exc: DomainError) -> dict[str, Any]:
    """Template context for a refused form: a summary and a message per field."""
    return {
        "error": exc.message,
        "field_errors": {e.field: e.message for e in exc.errors},
    }
