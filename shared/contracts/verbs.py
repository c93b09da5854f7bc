"""A service's verbs as types: declared once in its contract, served and asked by name."""

from __future__ import annotations

from typing import Generic, TypeVar

import msgspec

Q = TypeVar("Q", bound=msgspec.Struct)
A = TypeVar("A")
_A = TypeVar("_A", covariant=True)  # a verb that answers a view answers a Struct


class Verb(Generic[Q, _A]):
    """One verb of a service's contract: its name, what it is asked and what it answers.

    Declared once, in ``shared.contracts``; the service serves it (``serves``) and callers ask it
    (``ServiceClient.ask``), so mypy holds both sides to the same types and a misspelled verb is
    a name that does not exist.
    """

    def __init__(
        self, service: str, name: str, request: type[Q], reply: type[_A], *, callers: tuple[str, ...] | None = None
    ) -> None:
        self.service, self.name, self.request = service, name, request
        self._reply = reply
        # None: web's to ask (every verb web serves to people). Otherwise the services that alone
        # may ask it; the bus permissions (shared/bus/permissions.py) follow this, and web may not.
        self.callers = callers

    @property
    def reply(self) -> type[_A]:
        return self._reply

    def __repr__(self) -> str:
        return f"Verb({self.service}.{self.name})"
