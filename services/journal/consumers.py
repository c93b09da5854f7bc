"""The journal's view of other services' events: who is who (for invitations and names), and who
has left (``services.journal.erasure``)."""

from __future__ import annotations

import asyncpg
import msgspec

from shared.bus.rpc import ServiceClient
from shared.consumers import Handler
from shared.contracts import accounts as acc
from shared.erasure import is_erased
from shared.messages import RecordedEvent
from shared.names import pseudonym_key

S = "journal"


def people(accounts: ServiceClient) -> Handler:
    """Keeps ``people`` (member id -> pseudonym). Accounts' events no longer carry the pseudonym
    (ADR 34): when one comes without it, accounts is asked. A member erased here, or whose name
    accounts no longer knows (erased there), is left out: a late or replayed event brings nobody
    back. Idempotent (a rebuild replays the stream)."""

    async def on_member_registered(conn: asyncpg.Connection, recorded: RecordedEvent) -> None:
        seen = msgspec.json.decode(recorded.data, type=acc.MemberJoined)
        if await is_erased(conn, S, seen.member_id):
            return
        name = seen.pseudonym or await _asked(accounts, seen)
        if not name:
            return
        await conn.execute(
            "INSERT INTO people (member_id, pseudonym, pseudonym_key) VALUES ($1, $2, $3)"
            " ON CONFLICT (member_id) DO NOTHING",
            seen.member_id,
            name,
            pseudonym_key(name),
        )

    return on_member_registered


async def _asked(accounts: ServiceClient, seen: acc.MemberJoined) -> str | None:
    """The pseudonym accounts keeps; None once the member is erased. Accounts away is a blip: the
    message is retried, never parked."""
    found = await accounts.ask(acc.PSEUDONYM, acc.PseudonymRequest(member_id=seen.member_id))
    return found.pseudonym
