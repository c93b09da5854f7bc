"""A short-lived cache of who a session token belongs to, so that most page views need no call
to accounts. Entries are dropped the moment accounts announces that a session ended or a
member's roles changed (its events reach every web process over NATS), and expire after a
minute at the latest."""

from __future__ import annotations

import hashlib
import logging
from uuid import UUID

import msgspec
from nats.aio.client import Client
from nats.aio.msg import Msg

from shared.bus.streams import event_subject
from shared.contracts import accounts as acc
from shared.contracts.accounts import MemberView
from web.caching import Expiring, event_data

log = logging.getLogger(__name__)
TTL_S = 60.0
MAX_ENTRIES = 50_000


class _Changed(msgspec.Struct, frozen=True, kw_only=True):
    member_id: UUID


class SessionCache:
    def __init__(self) -> None:
        self._entries: Expiring[str, MemberView] = Expiring(TTL_S, MAX_ENTRIES)

    @staticmethod
    def _key(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    def get(self, token: str) -> MemberView | None:
        return self._entries.get(self._key(token))

    def put(self, token: str, member: MemberView) -> None:
        self._entries.put(self._key(token), member)

    def forget_token(self, token: str) -> None:
        self._entries.pop(self._key(token))

    def forget_member(self, member_id: UUID) -> None:
        self._entries.drop_where(lambda member: member.member_id == member_id)

    async def follow(self, nc: Client, prefix: str) -> None:
        """Drop a member's entries when accounts says their session ended or their roles changed."""

        async def changed(msg: Msg) -> None:
            try:
                self.forget_member(event_data(msg.data, _Changed).member_id)
            except (msgspec.ValidationError, msgspec.DecodeError):
                log.warning("unreadable accounts event on %s", msg.subject)
                self._entries.clear()

        for event_type in acc.SESSION_CHANGING_EVENTS:
            await nc.subscribe(event_subject(prefix, acc.SERVICE, event_type), cb=changed)
