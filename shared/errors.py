"""Typed errors shared by every service and the web edge.

The domain raises them; the wire carries their ``code``; only web maps codes to HTTP statuses.
"""

from __future__ import annotations

from typing import ClassVar

import msgspec


class FieldError(msgspec.Struct, frozen=True, kw_only=True):
    """One problem with one input field, phrased for the person who typed it."""

    field: str
    message: str


class DomainError(Exception):
    """Base of every expected, explainable failure."""

    code: ClassVar[str] = "invalid"

    def __init__(self, message: str, *, errors: tuple[FieldError, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors


class Invalid(DomainError):
    code = "invalid"


class NotFound(DomainError):
    code = "not_found"


class Forbidden(DomainError):
    code = "forbidden"


class Unauthenticated(DomainError):
    code = "unauthenticated"


class Conflict(DomainError):
    code = "conflict"


class ConcurrencyConflict(Conflict):
    """Someone else changed the stream since it was read; nothing was stored."""

    code = "conflict"

    def __init__(self, stream_id: str, expected: object) -> None:
        super().__init__("Someone else changed this while you were working on it. Please reload and try again.")
        self.stream_id = stream_id
        self.expected = expected


class RateLimited(DomainError):
    code = "rate_limited"

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Unavailable(DomainError):
    """No copy of a service is running: the request reached nobody, so nothing was done."""

    code = "unavailable"


class OutcomeUnknown(Unavailable):
    """A service did not answer in time: the request may or may not have been carried out."""

    code = "timeout"


class Internal(DomainError):
    """An unexpected failure inside a service: whether a write happened is not known."""

    code = "internal"


ERRORS_BY_CODE: dict[str, type[DomainError]] = {
    cls.code: cls
    for cls in (
        Invalid,
        NotFound,
        Forbidden,
        Unauthenticated,
        Conflict,
        RateLimited,
        Unavailable,
        OutcomeUnknown,
        Internal,
    )
}
