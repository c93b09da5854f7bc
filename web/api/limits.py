"""Limits of what the API accepts, as types: msgspec checks them at the edge and OpenAPI shows them."""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar.params import HeaderParameter, Parameter

from shared.contracts import accounts as a
from shared.contracts import journal as j
from shared.contracts.common import PLAIN_TEXT, VERSION_MAX

Name = a.Pseudonym
Password = a.Password
Email = a.Email
Version = Annotated[int, msgspec.Meta(ge=1, le=VERSION_MAX)]
Page = Annotated[int, Parameter(ge=1, le=j.PAGE_MAX, description="Page number, from 1")]
# Limits of the edge's own (no service sees these values as text to keep).
NextPath = Annotated[str, msgspec.Meta(max_length=500)]  # where to go once signed in: a path on this site
FeedQuery = Annotated[str, Parameter(max_length=200, pattern=PLAIN_TEXT)]  # a feed page's theme or cursor
Filter = Annotated[str, Parameter(max_length=40, pattern=PLAIN_TEXT)]  # a journal page's filter
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
