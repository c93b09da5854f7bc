"""The stories service's view of other services' events: who is who (moderators' pseudonyms for the
audit) and since when (an account's age weighs its reports, ``trust.report_weight``).

Pseudonyms stop travelling in accounts' events (docs/adr/0036-erasure-in-the-feed.md): when one
comes without it, accounts is asked. A member erased here, or whom accounts no longer knows, is
not written again (a late or replayed event, a rebuild)."""

from __future__ import annotations

import asyncpg
import msgspec

from services.stories.forgetting import kept
from shared.bus.rpc import ServiceClient
from shared.consumers import Handler
from shared.contracts import accounts as acc
from shared.messages import RecordedEvent


def people(accounts: ServiceClient) -> Handler:
    async def on_member_registered(conn: asyncpg.Connection, recorded: RecordedEvent) -> None:
        seen = msgspec.json.decode(recorded.data, type=acc.MemberJoined)
        if not await kept(conn, seen.member_id):
            return
        name = (
            seen.pseudonym
            or (await accounts.ask(acc.PSEUDONYM, acc.PseudonymRequest(member_id=seen.member_id))).pseudonym
        )
        if name is None:
            return  # erased meanwhile: accounts' erasure event follows
        await conn.execute(
            "INSERT INTO people (member_id, pseudonym, registered_at) VALUES ($1, $2, $3)"
            " ON CONFLICT (member_id) DO UPDATE SET registered_at = coalesce(people.registered_at, $3)",
            seen.member_id,
            name,
            seen.registered_at,
        )

    return on_member_registered
