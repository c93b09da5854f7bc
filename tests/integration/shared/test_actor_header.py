"""Who acts travels in the actor header; a payload that names an actor or roles is refused."""

from __future__ import annotations

from collections.abc import AsyncIterator

import asyncpg
import msgspec
import pytest
import pytest_asyncio
from nats.aio.client import Client
from nats.micro.request import ERROR_CODE_HEADER

from shared.bus.connection import connect
from shared.bus.rpc import ServiceClient, rpc_subject
from shared.contracts import journal as j
from shared.contracts.accounts import GrantRoleRequest, MemberView
from shared.contracts.common import ACTOR_HEADER, Acting
from shared.errors import Forbidden, NotFound
from shared.settings import Settings
from tests.support.people import register
from tests.support.stories import Teller

pytestmark = pytest.mark.integration


@pytest_asyncio.fixture
async def nc(settings: Settings, system: object) -> AsyncIterator[Client]:
    conn = await connect(settings.servers()[1], name="test")
    yield conn
    await conn.close()


async def _raw(nc: Client, settings: Settings, service: str, verb: str, body: dict[str, object], actor: Acting) -> str:
    """Send ``body`` as it is, with ``actor`` in the header; the error code of the reply, if any."""
    msg = await nc.request(
        rpc_subject(settings.nats_prefix, service, verb),
        msgspec.json.encode(body),
        headers={ACTOR_HEADER: msgspec.json.encode(actor).decode()},
        timeout=5,
    )
    return (msg.headers or {}).get(ERROR_CODE_HEADER, "")


async def test_a_payload_naming_another_member_is_refused_and_reads_nothing(nc: Client, settings: Settings) -> None:
    client = ServiceClient(nc, settings.nats_prefix)
    robin = await register(client, "Robin", settings.database_url or "")
    mallory = await register(client, "Mallory", settings.database_url or "")
    saved = await robin.call("record", j.Saved, entry={"kind": "victory", "text": "Called my sister"})
    body = {"actor_id": str(robin.id), "entry_id": str(saved.id)}
    assert await _raw(nc, settings, "journal", "entry", body, mallory.acting) == "forbidden"
    assert await _raw(nc, settings, "journal", "export", {"actor_id": str(robin.id)}, mallory.acting) == "forbidden"
    # the header decides: asked as Mallory, Robin's entry is not hers to read
    with pytest.raises((Forbidden, NotFound)):
        await mallory.call("entry", j.EntryView, entry_id=saved.id)
    assert (await robin.call("entry", j.EntryView, entry_id=saved.id)).text == "Called my sister"


async def test_roles_claimed_in_a_payload_do_not_make_a_moderator(nc: Client, settings: Settings) -> None:
    client = ServiceClient(nc, settings.nats_prefix)
    author, reader = Teller(client, "Ana"), Teller(client, "Bo")
    posted = await author.submit()
    moderate = {"item_id": str(posted.id), "action": "approve", "roles": ["member", "moderator"]}
    assert await _raw(nc, settings, "stories", "claim", {"item_id": str(posted.id), "roles": ["moderator"]},
                      Acting(member_id=reader.id, pseudonym="Bo", roles=("member",))) == "forbidden"  # fmt: skip
    assert await _raw(nc, settings, "stories", "moderate", moderate, Acting(member_id=reader.id)) == "forbidden"
    with pytest.raises((Forbidden, NotFound)):  # to a reader, the moderation queue does not exist
        await reader.moderate(posted.id)
    assert "A walk" not in await reader.titles()


async def test_a_request_for_someone_without_the_header_is_refused(nc: Client, settings: Settings) -> None:
    msg = await nc.request(rpc_subject(settings.nats_prefix, "journal", "export"), b"{}", timeout=5)
    assert (msg.headers or {}).get(ERROR_CODE_HEADER) == "forbidden"
    bad = await nc.request(
        rpc_subject(settings.nats_prefix, "journal", "export"), b"{}", headers={ACTOR_HEADER: "{not json"}, timeout=5
    )
    assert (bad.headers or {}).get(ERROR_CODE_HEADER) == "forbidden"


async def test_only_an_admin_grants_a_role(nc: Client, settings: Settings) -> None:
    client = ServiceClient(nc, settings.nats_prefix)
    robin = await register(client, "Robin", settings.database_url or "")
    grant = GrantRoleRequest(pseudonym="Robin", role="moderator")
    for actor in (None, robin.acting, Acting(member_id=robin.id, roles=("member", "moderator"))):
        with pytest.raises(Forbidden):
            await client.call("accounts", "grant_role", grant, MemberView, actor=actor)
    admin = Acting(member_id=robin.id, pseudonym="Robin", roles=("member", "admin"))
    assert "moderator" in (await client.call("accounts", "grant_role", grant, MemberView, actor=admin)).roles
    conn = await asyncpg.connect(settings.database_url)
    try:
        granted = await conn.fetch("SELECT data FROM accounts.events WHERE event_type = 'accounts.role_granted.v1'")
    finally:
        await conn.close()
    assert len(granted) == 1  # the refused grants stored nothing
