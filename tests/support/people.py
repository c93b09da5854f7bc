"""Members for tests, registered through the accounts service like anyone else."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar
from uuid import UUID

import asyncpg
import msgspec

from shared.bus.rpc import ServiceClient
from shared.contracts import journal as j
from shared.contracts import supporters as sup
from shared.contracts.accounts import MemberView, RegisterRequest
from shared.contracts.common import Acting
from shared.testing.plugin import eventually

T = TypeVar("T")


class Person:
    def __init__(self, client: ServiceClient, view: MemberView) -> None:
        self.client = client
        self.id: UUID = view.member_id
        self.name = view.pseudonym

    async def call(self, verb: str, response: type[T], **fields: Any) -> T:
        request_types = {
            "record": j.RecordRequest, "edit": j.EditRequest, "retract": j.EntryRequest, "confirm": j.EntryRequest,
            "note": j.NoteRequest, "observe": j.ObserveRequest, "resolve_observation": j.ResolveRequest,
            "invite": sup.InviteRequest, "respond": sup.RespondRequest, "change_role": sup.SupporterRequest,
            "remove_supporter": sup.SupporterRequest, "propose_stage": sup.StageRequest, "accept_stage": j.JournalRequest,
            "decline_stage": j.JournalRequest, "next_steps": j.Actor, "check_claim": sup.ClaimCodeRequest,
            "start_for": sup.StartForRequest, "claim": sup.ClaimRequest, "timeline": j.TimelineRequest,
            "entry": j.EntryRequest, "view": j.JournalRequest, "observations": j.JournalRequest, "supporting": j.Actor,
            "progress": j.JournalRequest, "export": j.JournalRequest,
        }  # fmt: skip
        try:
            request: Any = msgspec.convert(fields, request_types[verb])
        except msgspec.ValidationError:  # past a limit: sent as it is, for the service to refuse
            request = fields
        return await self.client.call("journal", verb, request, response, actor=self.acting)

    @property
    def acting(self) -> Acting:
        return Acting(member_id=self.id, pseudonym=self.name)

    async def timeline(self, **fields: Any) -> j.TimelineView:
        return await self.call("timeline", j.TimelineView, **fields)

    async def texts(self, **fields: Any) -> list[str]:
        return [i.entry.text for i in (await self.timeline(**fields)).items if i.entry]


IN_THE_INBOX = ("journal", "notifications")
"""Where a member must be known before others act with them in a test that reads the inbox: it
names people as it knows them when it writes an item (and the journal finds people by name)."""


async def is_known(database_url: str, member_id: UUID, schemas: Iterable[str]) -> bool:
    """Whether each service of ``schemas`` has learnt who ``member_id`` is, in its own ``people``
    table (filled by its own consumer of accounts' registrations)."""
    conn = await asyncpg.connect(database_url)
    try:
        for schema in schemas:
            if not await conn.fetchval(f"SELECT true FROM {schema}.people WHERE member_id = $1", member_id):
                return False
        return True
    finally:
        await conn.close()


async def register(
    client: ServiceClient, name: str, database_url: str, *, known_to: tuple[str, ...] = ("journal",)
) -> Person:
    """A new member; returns once each service in ``known_to`` has learnt their pseudonym from the
    event (each keeps who is who in its own ``people`` table, filled by its own consumer)."""
    email = name.lower().replace(" ", ".") + "@example.org"
    req = RegisterRequest(pseudonym=name, email=email, password="a long enough password")
    person = Person(client, await client.call("accounts", "register", req, MemberView))
    await eventually(lambda: is_known(database_url, person.id, known_to))
    return person
