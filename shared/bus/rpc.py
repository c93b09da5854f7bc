"""Request/reply over ``nats.micro``: msgspec payloads in, typed errors on the wire.

A service registers routes ``verb -> (request type, handler)`` under
``<prefix>.svc.<service>.<verb>``, in a queue group so that N copies share the load.
Callers use ``ServiceClient.call``; a ``DomainError`` raised by the handler comes back to the
caller as the same error class; a transient failure (the database restarting) as ``Unavailable``.
No copy running, or no NATS connection, becomes ``Unavailable`` (nothing was done); no
answer in time becomes ``OutcomeUnknown``; an unexpected failure in a handler is logged, counted by
``nats.micro`` and comes back as ``Internal``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import msgspec
import nats.errors
from nats.aio.client import Client
from nats.micro import add_service
from nats.micro.request import ERROR_CODE_HEADER, Request, ServiceError
from nats.micro.service import Service

from shared.contracts.common import ACTOR_HEADER, NOBODY, Acted, Acting, MaybeActed
from shared.contracts.verbs import A, Q, Verb
from shared.errors import (
    ERRORS_BY_CODE,
    DomainError,
    FieldError,
    Forbidden,
    Internal,
    OutcomeUnknown,
    RateLimited,
    Unavailable,
)
from shared.logging import CORRELATION_HEADER, correlation_id, new_correlation_id
from shared.refusals import refusal

log = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R", bound=msgspec.Struct)


INTERNAL_MESSAGE = "Something went wrong on our side."
BLIP_MESSAGE = (
    "We could not finish that just now because part of Small Wins is restarting. Please try again in a moment."
)


class CallContext(msgspec.Struct, frozen=True, kw_only=True):
    correlation_id: str
    actor: Acting | None = None  # from the actor header; None when nobody signed in made the call


class ErrorBody(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    message: str
    errors: tuple[FieldError, ...] = ()
    retry_after: int | None = None


class Route(msgspec.Struct, frozen=True):
    request_type: type[Any]
    handler: Callable[[Any, CallContext], Awaitable[msgspec.Struct | None]]


def route(request_type: type[R], handler: Callable[[R, CallContext], Awaitable[msgspec.Struct | None]]) -> Route:
    return Route(request_type, handler)


def serves(verb: Verb[Q, A], handler: Callable[[Q, CallContext], Awaitable[A]]) -> tuple[str, Route]:
    """A route for ``verb``: the handler must take its request type and answer its reply type."""
    return verb.name, Route(verb.request, handler)  # type: ignore[arg-type]


def rpc_subject(prefix: str, service: str, verb: str) -> str:
    return f"{prefix}.svc.{service}.{verb}"


def _error_reply(exc: DomainError) -> tuple[str, str, bytes]:
    retry_after = exc.retry_after if isinstance(exc, RateLimited) else None
    body = ErrorBody(message=exc.message, errors=exc.errors, retry_after=retry_after)
    return exc.code, exc.message, msgspec.json.encode(body)


Observe = Callable[[str, float, str], None]
_acting = msgspec.json.Decoder(Acting)
NAMED_IN_PAYLOAD = "Who acts travels in the actor header, never in the request's body."
NOBODY_ACTS = "This needs a signed-in member."


def actor_of(headers: dict[str, str] | None) -> Acting | None:
    """The acting member named by the actor header; a header that does not decode is refused."""
    raw = (headers or {}).get(ACTOR_HEADER)
    if not raw:
        return None
    try:
        return _acting.decode(raw)
    except (msgspec.ValidationError, msgspec.DecodeError) as exc:
        raise Forbidden(f"The actor header is not valid: {exc}") from None


def with_actor(payload: T, actor: Acting | None) -> T:
    """``payload`` with its actor fields filled from the header, for a request made for someone.

    A payload that names an actor or roles itself is refused: only the header decides.
    """
    if not isinstance(payload, Acted | MaybeActed):
        return payload
    if payload.actor_id not in (None, NOBODY) or payload.actor_name or payload.roles or payload.tz != "UTC":
        raise Forbidden(NAMED_IN_PAYLOAD)
    if actor is None:
        if isinstance(payload, Acted):
            raise Forbidden(NOBODY_ACTS)
        return payload
    return msgspec.structs.replace(
        payload, actor_id=actor.member_id, actor_name=actor.pseudonym, roles=actor.roles, tz=actor.tz
    )


def _endpoint(
    verb: str, r: Route, is_blip: Callable[[BaseException], bool], observe: Observe
) -> Callable[[Request], Awaitable[None]]:
    decoder = msgspec.json.Decoder(r.request_type)

    async def handle(req: Request) -> None:
        cid = (req.headers or {}).get(CORRELATION_HEADER) or new_correlation_id()
        token = correlation_id.set(cid)
        started = time.perf_counter()
        outcome = "ok"
        try:
            try:
                payload = decoder.decode(req.data)
            except msgspec.ValidationError as exc:  # a value past a declared limit: say which field
                outcome = "invalid"
                await req.respond_error(*_error_reply(refusal(exc)))
                return
            except msgspec.DecodeError as exc:
                outcome = "invalid"
                await req.respond_error("invalid", f"Malformed request: {exc}")
                return
            try:
                actor = actor_of(req.headers)
                payload = with_actor(payload, actor)
                result = await r.handler(payload, CallContext(correlation_id=cid, actor=actor))
            except DomainError as exc:
                outcome = exc.code
                if isinstance(exc, Forbidden):  # a forged actor, a missing one, or a permission refused
                    log.warning("refused: %s", exc.message, extra={"verb": verb, "subject": req.subject})
                await req.respond_error(*_error_reply(exc))
                return
            except Exception as exc:
                if is_blip(exc):  # the database restarting, a lost connection: try again soon
                    outcome = "unavailable"
                    log.warning("handler interrupted: %r", exc, extra={"verb": verb})
                    await req.respond_error(*_error_reply(Unavailable(BLIP_MESSAGE)))
                    return
                # Logged with its traceback and correlation id, then raised for nats.micro, which
                # counts it in the endpoint's statistics and answers with the "internal" code.
                outcome = "internal"
                log.exception("handler failed", extra={"verb": verb})
                raise ServiceError(Internal.code, INTERNAL_MESSAGE) from exc
            await req.respond(msgspec.json.encode(result) if result is not None else b"{}")
        finally:
            observe(verb, time.perf_counter() - started, outcome)
            correlation_id.reset(token)

    return handle


def _never(_exc: BaseException) -> bool:
    return False


def _unobserved(_verb: str, _seconds: float, _outcome: str) -> None:
    return None


async def serve(
    nc: Client,
    *,
    prefix: str,
    service: str,
    routes: dict[str, Route],
    version: str = "0.1.0",
    is_blip: Callable[[BaseException], bool] = _never,
    observe: Observe = _unobserved,
) -> Service:
    """Serve ``routes``; a failure ``is_blip`` recognises (a lost database connection) answers
    ``unavailable`` rather than ``internal``; ``observe(verb, seconds, outcome)`` hears of every
    request. The caller knows its drivers and metrics; this module does not."""
    svc = await add_service(nc, name=f"{prefix}-{service}", version=version, queue_group=f"{prefix}-{service}")
    for verb, r in routes.items():
        await svc.add_endpoint(
            name=verb, subject=rpc_subject(prefix, service, verb), handler=_endpoint(verb, r, is_blip, observe)
        )
    return svc


class ServiceClient:
    """Calls services over NATS and turns wire errors back into typed exceptions."""

    def __init__(self, nc: Client, prefix: str, timeout: float = 5.0) -> None:
        self._nc = nc
        self._prefix = prefix
        self._timeout = timeout

    async def ask(self, verb: Verb[Q, A], request: Q, *, actor: Acting | None = None) -> A:
        """Ask ``verb`` (declared in ``shared.contracts``); who acts travels in the actor header."""
        return await self.call(verb.service, verb.name, request, verb.reply, actor=actor)

    async def call(
        self,
        service: str,
        verb: str,
        request: msgspec.Struct,
        response_type: type[T],
        *,
        actor: Acting | None = None,
    ) -> T:
        """Call ``verb``; ``actor`` (who acts) travels in the actor header, never in the payload."""
        if not self._nc.is_connected:  # reconnecting: say so now instead of waiting out the timeout
            raise Unavailable(f"The {service} service cannot be reached just now.")
        headers = {CORRELATION_HEADER: correlation_id.get() or new_correlation_id()}
        if actor is not None:
            headers[ACTOR_HEADER] = msgspec.json.encode(actor).decode()
        try:
            msg = await self._nc.request(
                rpc_subject(self._prefix, service, verb),
                msgspec.json.encode(request),
                timeout=self._timeout,
                headers=headers,
            )
        except (nats.errors.NoRespondersError, nats.errors.ConnectionReconnectingError):
            raise Unavailable(f"The {service} service is not running.") from None
        except (nats.errors.TimeoutError, nats.errors.ConnectionClosedError):
            raise OutcomeUnknown(f"The {service} service did not answer in time.") from None
        code = (msg.headers or {}).get(ERROR_CODE_HEADER)
        if code:
            raise _rebuild_error(code, msg.data)
        return msgspec.json.decode(msg.data, type=response_type)


def _rebuild_error(code: str, data: bytes) -> DomainError:
    try:
        body = msgspec.json.decode(data, type=ErrorBody)
    except (msgspec.ValidationError, msgspec.DecodeError):
        body = ErrorBody(message=INTERNAL_MESSAGE)
    if code == RateLimited.code:
        return RateLimited(body.message, retry_after=body.retry_after or 60)
    cls = ERRORS_BY_CODE.get(code)
    if cls is None:  # a code this caller does not know: treat it as a failure of unknown outcome
        return Internal(body.message)
    return cls(body.message, errors=body.errors)
