"""Turning failures into answers a person can act on: problem JSON for /api, pages elsewhere."""

from __future__ import annotations

import logging

import msgspec
from litestar import MediaType, Response
from litestar.exceptions import HTTPException, PermissionDeniedException, ValidationException
from litestar.response import Redirect, Template

from shared.errors import (
    Conflict,
    DomainError,
    Forbidden,
    Invalid,
    NotFound,
    RateLimited,
    Unauthenticated,
    Unavailable,
)
from web.api.schemas import Problem, ProblemField
from web.auth import Req

log = logging.getLogger(__name__)

STATUS: dict[type[DomainError], int] = {
    Invalid: 422,
    Unauthenticated: 401,
    Forbidden: 403,
    NotFound: 404,
    Conflict: 409,
    RateLimited: 429,
    Unavailable: 503,
}
TITLES = {
    401: "Please sign in",
    403: "Not yours to see",
    404: "We couldn't find that",
    409: "That clashes with something already there",
    422: "Some details need another look",
    429: "Let's slow down a little",
    500: "Something went wrong on our side",
    503: "Small Wins is having a moment",
}
UNAVAILABLE = "We couldn't reach part of Small Wins just now. Nothing you saved is lost. Please try again in a minute."


def status_of(exc: DomainError) -> int:
    for cls in type(exc).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 400


def _is_api(request: Req) -> bool:
    return request.url.path.startswith("/api")


def problem(
    status: int, detail: str, errors: list[ProblemField] | None = None, headers: dict[str, str] | None = None
) -> Response[bytes]:
    body = Problem(title=TITLES.get(status, "Something went wrong"), status=status, detail=detail, errors=errors or [])
    return Response(
        msgspec.json.encode(body), status_code=status, media_type="application/problem+json", headers=headers
    )


def _page(request: Req, status: int, detail: str) -> Response[object]:
    context = {"title": TITLES.get(status, "Something went wrong"), "status": status, "detail": detail}
    return Template("errors/error.html.j2", context=context, status_code=status, media_type=MediaType.HTML)  # type: ignore[return-value]


def on_domain_error(request: Req, exc: DomainError) -> Response[object]:
    status = status_of(exc)
    headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, RateLimited) else None
    detail = UNAVAILABLE if isinstance(exc, Unavailable) else exc.message
    if isinstance(exc, Unavailable):
        log.warning("service unavailable: %s", exc.message)
    if _is_api(request):
        fields = [ProblemField(field=e.field, message=e.message) for e in exc.errors]
        return problem(status, detail, fields, headers)  # type: ignore[return-value]
    if isinstance(exc, Unauthenticated):
        return Redirect("/signin")
    return _page(request, status, detail)


def on_http_error(request: Req, exc: HTTPException) -> Response[object]:
    status = exc.status_code
    if isinstance(exc, ValidationException):
        status = 422
        detail = "The request body is not what this endpoint expects."
        fields = _validation_fields(exc)
        if _is_api(request):
            return problem(status, detail, fields)  # type: ignore[return-value]
        return _page(request, 400, "That form didn't arrive complete. Please go back and try again.")
    if isinstance(exc, PermissionDeniedException) and "csrf" in str(exc.detail).lower():
        detail = "This form has expired or was not sent from Small Wins. Please go back, reload the page and try again."
        status = 403
    else:
        detail = str(exc.detail) if status < 500 else "Something went wrong on our side."
    if _is_api(request):
        return problem(status, detail)  # type: ignore[return-value]
    return _page(request, status, detail)


def on_unexpected(request: Req, exc: Exception) -> Response[object]:
    log.exception("unhandled error", exc_info=exc)
    if _is_api(request):
        return problem(500, "Something went wrong on our side. Please try again.")  # type: ignore[return-value]
    return _page(request, 500, "Something went wrong on our side. Please try again in a moment.")


def _validation_fields(exc: ValidationException) -> list[ProblemField]:
    extra = exc.extra if isinstance(exc.extra, list) else []
    fields = []
    for item in extra:
        if isinstance(item, dict):
            key = str(item.get("key") or "body")
            fields.append(ProblemField(field=key, message=str(item.get("message", "is not valid"))))
    return fields
