"""Limits of what the API accepts, as types: msgspec checks them at the edge and OpenAPI shows them."""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar.params import HeaderParameter, Parameter

NO_NUL = "^[^\\x00]*$"
"""Text may hold any character but NUL, which PostgreSQL cannot store."""
NUL_MESSAGE = "This contains a character we can't store (a NUL character). Please remove it."


def text(max_length: int, *, min_length: int = 0) -> msgspec.Meta:
    return msgspec.Meta(min_length=min_length, max_length=max_length, pattern=NO_NUL)


Name = Annotated[str, text(64)]
Password = Annotated[str, msgspec.Meta(max_length=1024, pattern=NO_NUL)]
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
