"""Typed calls from the web edge to the services over NATS."""

from __future__ import annotations

from typing import TypeVar
from uuid import UUID

import msgspec

from shared.bus.rpc import ServiceClient
from shared.contracts import accounts as acc
from shared.contracts import notifications as notif
from shared.contracts.common import Empty, HealthView
from web.sessions import SessionCache

T = TypeVar("T")


class Services:
    def __init__(self, client: ServiceClient, sessions: SessionCache | None = None) -> None:
        self._c = client
        self._sessions = sessions or SessionCache()

    async def register(self, pseudonym: str, email: str, password: str) -> acc.MemberView:
        req = acc.RegisterRequest(pseudonym=pseudonym, email=email, password=password)
        return await self._c.call(acc.SERVICE, "register", req, acc.MemberView)

    async def sign_in(self, email: str, password: str, client_ip: str) -> acc.SessionIssued:
        req = acc.SignInRequest(email=email, password=password, client_ip=client_ip)
        return await self._c.call(acc.SERVICE, "sign_in", req, acc.SessionIssued)

    async def sign_out(self, token: str) -> None:
        self._sessions.forget_token(token)
        await self._c.call(acc.SERVICE, "sign_out", acc.TokenRequest(token=token), Empty)

    def cached_member(self, token: str) -> acc.MemberView | None:
        return self._sessions.get(token)

    async def member_for(self, token: str) -> acc.MemberView:
        """Who holds this session token; answered from the session cache when it can be."""
        member = self._sessions.get(token)
        if member is None:
            member = await self._c.call(acc.SERVICE, "session", acc.TokenRequest(token=token), acc.MemberView)
            self._sessions.put(token, member)
        return member

    async def inbox(self, member_id: UUID, limit: int = 20) -> notif.InboxView:
        req = notif.InboxRequest(member_id=member_id, limit=limit)
        return await self._c.call(notif.SERVICE, "inbox", req, notif.InboxView)

    async def journal(self, verb: str, request: msgspec.Struct, response: type[T]) -> T:
        return await self._c.call("journal", verb, request, response)

    async def stories(self, verb: str, request: msgspec.Struct, response: type[T]) -> T:
        return await self._c.call("stories", verb, request, response)

    async def health(self, service: str) -> HealthView:
        return await self._c.call(service, "health", Empty(), HealthView)


SERVICES = (acc.SERVICE, "journal", "stories", notif.SERVICE)
