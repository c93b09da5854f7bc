"""What the OpenAPI says about every ``/api`` operation: its error statuses with their problem
bodies, the bearer token, and a reference page rendered by the app itself (no outside assets)."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.enums import MediaType
from litestar.openapi import OpenAPIConfig, ResponseSpec
from litestar.openapi.plugins import OpenAPIRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme

from web.api.schemas import Problem

PROBLEM_JSON = "application/problem+json"
BEARER = "bearer"
SECURED: list[dict[str, list[str]]] = [{BEARER: []}]

WHY = {
    400: "The body is not valid JSON (or not UTF-8, or nested too deeply).",
    401: "No valid session token: sign in and send 'Authorization: Bearer <token>'.",
    403: "Your role does not allow this.",
    404: "Not found, or not visible to you.",
    409: "It clashes with the current state (changed by someone else, already done, or taken).",
    422: "Some input is not valid; `errors` names each field.",
    429: "Too many attempts or changes from you or your network; wait for the seconds in Retry-After.",
    500: "Something failed on our side. It may or may not have been saved: check before you retry.",
    503: "A part of Small Wins is not answering. Retry after the seconds in Retry-After.",
}
ALWAYS = (422, 500, 503)


def problems(*statuses: int) -> dict[int, ResponseSpec]:
    """Response specs for these statuses and the ones every operation can return."""
    return {
        status: ResponseSpec(data_container=Problem, description=WHY[status], media_type=PROBLEM_JSON)
        for status in sorted({*statuses, *ALWAYS})
    }


# The usual sets: signed-in reads, signed-in writes with a JSON body, signed-in writes without one.
# Every write may meet a rate limit (web/ratelimits.py).
READ = problems(401, 403, 404)
WRITE = problems(400, 401, 403, 404, 409, 429)
ACT = problems(401, 403, 404, 409, 429)


class ReferencePage(OpenAPIRenderPlugin):
    """The API reference as plain HTML from our own templates: no script, no outside requests."""

    def __init__(self) -> None:
        super().__init__(path="/", media_type=MediaType.HTML)

    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        engine = request.app.template_engine
        if engine is None:  # pragma: no cover - the app always has one
            raise RuntimeError("templates are not configured")
        operations = [
            {"method": method.upper(), "path": path, **op}
            for path, item in openapi_schema.get("paths", {}).items()
            for method, op in item.items()
            if method in {"get", "post", "put", "patch", "delete"}
        ]
        page: str = engine.get_template("api/reference.html.j2").render(
            title="Small Wins API",
            schema=openapi_schema,
            operations=operations,
            json_url=self.get_openapi_json_route(request),
        )
        return page.encode()


def openapi_config() -> OpenAPIConfig:
    return OpenAPIConfig(
        title="Small Wins API",
        version="0.1.0",
        path="/schema",
        description=(
            "The JSON API of Small Wins. Sign in with POST /api/sessions and send the token as "
            "'Authorization: Bearer <token>'. Errors are RFC 9457 problem details. Creating requests "
            "accept an Idempotency-Key header: a repeat returns the first result and stores nothing new."
        ),
        components=Components(
            security_schemes={BEARER: SecurityScheme(type="http", scheme="bearer", description="A session token")}
        ),
        render_plugins=[ReferencePage()],
    )
