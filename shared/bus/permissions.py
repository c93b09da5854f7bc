"""Who may do what on the bus: NATS users with subject permissions, derived from the code.

Nothing connects without credentials. web may only send requests to service verbs, follow the
event subjects its caches and live pages listen to, and read replies on its own inbox prefix. Each service may
answer only its own verbs, publish only its own events (and its relay's wake-up), and use only
the JetStream API of its own stream and of its own durable consumers; it can neither delete nor
purge stream messages. The operator (the command line, and the test harness) may do anything.
See docs/adr/0020-a-closed-bus.md.

The prefix may be ``*`` for a server that several deployments or tests share: then every name
that embeds the prefix (streams, durables) becomes ``*`` in the permission.

A verb served to services only (``Verb(..., callers=(...))``, such as ``accounts.mail_address``)
is denied to web and allowed to exactly the services it names.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import msgspec

from shared.bus.streams import ConsumerSpec, event_stream, event_subject, wake_subject
from shared.contracts.verbs import Verb

OPERATOR = "operator"
WEB = "web"
JS_API = "$JS.API"


class BusUser(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    publish: tuple[str, ...]
    subscribe: tuple[str, ...]
    deny_publish: tuple[str, ...] = ()  # within what ``publish`` allows: verbs served to services only
    responds: bool = False  # may answer the requests it receives (on their reply subjects only)


def inbox_prefix(user: str) -> str:
    """Each user reads replies under its own prefix, so nobody else can subscribe to them."""
    return f"_INBOX_{user}"


def _wild(prefix: str, subjects: Iterable[str]) -> tuple[str, ...]:
    if prefix != "*":
        return tuple(dict.fromkeys(subjects))
    return tuple(dict.fromkeys(".".join("*" if "*" in t and t != "*" else t for t in s.split(".")) for s in subjects))


def verb_subject(prefix: str, verb: Verb[Any, Any]) -> str:
    return f"{prefix}.svc.{verb.service}.{verb.name}"


def service_user(
    prefix: str, service: str, consumers: Iterable[ConsumerSpec], asks: Iterable[Verb[Any, Any]] = ()
) -> BusUser:
    """``asks``: the verbs of other services it may call (those whose ``callers`` name it)."""
    own = event_stream(prefix, service).name
    publish = [event_subject(prefix, service, ">"), wake_subject(prefix, service), f"{JS_API}.INFO"]
    publish += [verb_subject(prefix, verb) for verb in asks]
    streams = {own, *(c.stream for c in consumers)}
    for stream in sorted(streams):  # creating a stream it reads, exactly as the code declares it
        publish += [f"{JS_API}.STREAM.INFO.{stream}", f"{JS_API}.STREAM.CREATE.{stream}"]
    for c in consumers:
        durable = f"{c.stream}.{c.durable}"
        publish += [
            f"{JS_API}.CONSUMER.INFO.{durable}",
            f"{JS_API}.CONSUMER.CREATE.{durable}",
            f"{JS_API}.CONSUMER.CREATE.{durable}.>",
            f"{JS_API}.CONSUMER.DURABLE.CREATE.{durable}",
            f"{JS_API}.CONSUMER.MSG.NEXT.{durable}",
            f"$JS.ACK.{durable}.>",
        ]
    subscribe = [f"{prefix}.svc.{service}.>", "$SRV.>", wake_subject(prefix, service), f"{inbox_prefix(service)}.>"]
    return BusUser(name=service, publish=_wild(prefix, publish), subscribe=_wild(prefix, subscribe), responds=True)


def web_user(
    prefix: str,
    follows: Iterable[str],
    events: Iterable[tuple[str, str]] = (),
    not_asked: Iterable[Verb[Any, Any]] = (),
) -> BusUser:
    """web calls service verbs, but not those in ``not_asked`` (served to services only); follows
    every event of ``follows`` (services) for its caches, and exactly the ``events`` named
    (service, event type) for its live pages."""
    subscribe = [
        f"{inbox_prefix(WEB)}.>",
        *(event_subject(prefix, service, ">") for service in follows),
        *(event_subject(prefix, service, event_type) for service, event_type in events),
    ]
    return BusUser(
        name=WEB, publish=_wild(prefix, [f"{prefix}.svc.*.*"]), subscribe=_wild(prefix, subscribe),
        deny_publish=_wild(prefix, [verb_subject(prefix, verb) for verb in not_asked]),
    )  # fmt: skip


def operator_user() -> BusUser:
    return BusUser(name=OPERATOR, publish=(">",), subscribe=(">",), responds=True)


def password_variable(user: str) -> str:
    """The environment variable that carries ``user``'s password in a deployment."""
    return f"SMALLWINS_NATS_{user.upper()}_PASSWORD"


def authorization(users: Iterable[BusUser], passwords: Mapping[str, str] | None = None) -> str:
    """The ``authorization`` block: each user with its permissions and its password, or (without
    ``passwords``) a reference to the environment variable that holds it (``password_variable``)."""
    entries = []
    for user in users:
        publish: dict[str, list[str]] = {"allow": list(user.publish)}
        if user.deny_publish:
            publish["deny"] = list(user.deny_publish)
        permissions: dict[str, object] = {
            "publish": publish,
            "subscribe": {"allow": list(user.subscribe)},
        }
        if user.responds:
            permissions["allow_responses"] = True
        secret = json.dumps(passwords[user.name]) if passwords else f"${password_variable(user.name)}"
        entries.append(
            f"  {{ user: {json.dumps(user.name)}, password: {secret},\n    permissions: {json.dumps(permissions)} }}"
        )
    return "authorization: {\n users: [\n" + ",\n".join(entries) + "\n ]\n}\n"


def server_config(
    *, host: str, port: int, store_dir: Path, server_name: str, users: Iterable[BusUser], passwords: Mapping[str, str]
) -> str:
    """A nats-server configuration with JetStream and exactly these users (no anonymous access)."""
    head = [
        f"listen: {json.dumps(f'{host}:{port}')}",
        f"server_name: {json.dumps(server_name)}",
        f"jetstream: {{ store_dir: {json.dumps(str(store_dir))} }}",
    ]
    return "\n".join(head) + "\n" + authorization(users, passwords)


def with_credentials(url: str, user: str, password: str) -> str:
    """``nats://host:port`` with a user's credentials in it."""
    scheme, _, rest = url.partition("://")
    rest = rest.rpartition("@")[2]
    return f"{scheme}://{user}:{password}@{rest}"
