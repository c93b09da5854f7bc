"""Turning failures into answers a person can act on: problem JSON for /api, pages elsewhere."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlencode, urlsplit

import msgspec
from litestar import MediaType, Request, Response
from litestar.datastructures import State
from litestar.exceptions import ClientException, HTTPException, PermissionDeniedException, ValidationException
from litestar.response import Redirect, Template

from shared.errors import (
    Conflict,
    DomainError,
    Forbidden,
    Internal,
    Invalid,
    NotFound,
    OutcomeUnknown,
    RateLimited,
    Unauthenticated,
    Unavailable,
)
from shared.refusals import friendly
from web.api.schemas import Problem, ProblemField
from web.auth import SESSION_COOKIE, Req, known_member
from web.security import is_api, local_path

log = logging.getLogger(__name__)

STATUS: dict[type[DomainError], int] = {
    Invalid: 422,
    Unauthenticated: 401,
    Forbidden: 403,
    NotFound: 404,
    Conflict: 409,
    RateLimited: 429,
    Internal: 500,
    Unavailable: 503,
}
TITLES = {
    400: "That request didn't arrive complete",
    401: "Please sign in",
    403: "Not yours to see",
    404: "We couldn't find that",
    405: "That can't be done here",
    409: "That clashes with something already there",
    413: "That is more than we can take at once",
    422: "Some details need another look",
    429: "Let's slow down a little",
    500: "Something went wrong on our side",
    503: "Small Wins is having a moment",
}
EXPIRED = "This form has expired"
RETRY_AFTER_S = 10
UNREADABLE = (
    "The body is not JSON we can read (it must be UTF-8, and not nested hundreds of levels deep). Nothing was changed."
)
NOTHING_DONE = "We couldn't reach part of Small Wins just now, so nothing was changed. Please try again in a minute."
UNKNOWN_OUTCOME = (
    "Something went wrong on our side, and we can't tell whether your last action was saved. "
    "Please look (reload the page or open your journal) before you try again, so that nothing is saved twice."
)


class EdgeRequest(Request[Any, Any, State]):
    """Litestar's request, with a body that cannot be read as JSON refused as the client's fault.

    Litestar turns malformed JSON into a 400, but two failures of the decoder escape it: invalid
    UTF-8 (``UnicodeDecodeError``) and nesting deeper than the interpreter allows
    (``RecursionError``). Both come from what the client sent, so they are a 400 as well."""

    async def json(self) -> Any:
        try:
            return await super().json()
        except (UnicodeDecodeError, RecursionError) as exc:
            raise ClientException(UNREADABLE) from exc


def status_of(exc: DomainError) -> int:
    for cls in type(exc).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 400


def _is_api(request: Req) -> bool:
    return is_api(request.url.path)


def _headers(status: int, exc: DomainError | None = None) -> dict[str, str] | None:
    if isinstance(exc, RateLimited):
        return {"Retry-After": str(exc.retry_after)}
    return {"Retry-After": str(RETRY_AFTER_S)} if status == 503 else None


def problem(
    status: int, detail: str, errors: list[ProblemField] | None = None, headers: dict[str, str] | None = None
) -> Response[bytes]:
    body = Problem(title=TITLES.get(status, "Something went wrong"), status=status, detail=detail, errors=errors or [])
    return Response(
        msgspec.json.encode(body), status_code=status, media_type="application/problem+json", headers=headers
    )


def _page(
    request: Req,
    status: int,
    detail: str,
    fields: list[ProblemField] | None = None,
    headers: dict[str, str] | None = None,
    title: str = "",
    reload: str = "",
) -> Response[object]:
    member = known_member(request)  # the navigation shows whether the person is signed in
    context = {
        "title": title or TITLES.get(status, "Something went wrong"), "status": status, "detail": detail,
        "fields": fields or [], "member": member, "signed_in": SESSION_COOKIE in request.cookies, "reload": reload,
    }  # fmt: skip
    return Template(  # type: ignore[return-value]
        "errors/error.html.j2", context=context, status_code=status, media_type=MediaType.HTML, headers=headers
    )


def on_domain_error(request: Req, exc: DomainError) -> Response[object]:
    status = status_of(exc)
    if isinstance(exc, OutcomeUnknown | Internal):
        log.warning("outcome unknown: %s", exc.message)
        detail = UNKNOWN_OUTCOME
    elif isinstance(exc, Unavailable):
        log.warning("service unavailable: %s", exc.message)
        detail = NOTHING_DONE
    else:
        detail = exc.message
    fields = [ProblemField(field=e.field, message=e.message) for e in exc.errors]
    if _is_api(request):
        return problem(status, detail, fields, _headers(status, exc))  # type: ignore[return-value]
    if isinstance(exc, Unauthenticated):  # back to the page asked for, once signed in
        here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return Redirect(
            f"/signin?{urlencode({'next': here})}" if request.method == "GET" and here != "/" else "/signin"
        )
    return _page(request, status, detail, fields, _headers(status, exc))


def on_http_error(request: Req, exc: HTTPException) -> Response[object]:
    status = exc.status_code
    fields: list[ProblemField] = []
    if isinstance(exc, ValidationException):
        status, fields = 422, validation_fields(exc)
        detail = "Some details need another look: " + "; ".join(f"{f.field}: {f.message}" for f in fields)
    elif isinstance(exc, PermissionDeniedException) and "csrf" in str(exc.detail).lower():
        detail = "This form has expired or was not sent from Small Wins. Nothing was changed."
        if not _is_api(request):  # offer the page the form came from, fresh
            reload = local_path(urlsplit(request.headers.get("referer", "")).path or "/", "/")
            return _page(request, status, detail, headers=_headers(status), title=EXPIRED, reload=reload)
    elif status >= 500:
        log.error("http error %s: %s", status, exc.detail)
        detail = UNKNOWN_OUTCOME
    else:
        detail = str(exc.detail)
    headers = {**(exc.headers or {}), **(_headers(status) or {})} or None  # e.g. Allow, WWW-Authenticate
    if _is_api(request):
        return problem(status, detail, fields, headers)  # type: ignore[return-value]
    return _page(request, status, detail, fields, headers)


def on_unexpected(request: Req, exc: Exception) -> Response[object]:
    log.exception("unhandled error", exc_info=exc)
    if _is_api(request):
        return problem(500, UNKNOWN_OUTCOME)  # type: ignore[return-value]
    return _page(request, 500, UNKNOWN_OUTCOME)


def validation_fields(exc: ValidationException) -> list[ProblemField]:
    extra = exc.extra if isinstance(exc.extra, list) else []
    fields = []
    for item in extra:
        if isinstance(item, dict):
            key = str(item.get("key") or "body").split("[", 1)[0]
            fields.append(ProblemField(field=key, message=friendly(str(item.get("message", "is not valid")))))
    return fields or [ProblemField(field="body", message=str(exc.detail))]
