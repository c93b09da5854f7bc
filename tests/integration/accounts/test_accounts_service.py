"""The accounts service over NATS: privacy of the e-mail, roles, and rebuilding read models."""

from __future__ import annotations

from collections.abc import AsyncIterator

import asyncpg
import pytest
import pytest_asyncio

from services.accounts.main import SERVICE
from shared.bus.connection import connect
from shared.bus.rpc import ServiceClient
from shared.contracts import accounts as acc
from shared.contracts.accounts import GrantRoleRequest, MemberView, RegisterRequest, SignInRequest
from shared.contracts.common import Acting
from shared.errors import NotFound
from shared.eventstore.store import EventStore
from shared.projections import rebuild
from shared.settings import Settings
from smallwins.servers import operator

pytestmark = pytest.mark.integration


@pytest_asyncio.fixture
async def accounts(settings: Settings, system: object) -> AsyncIterator[ServiceClient]:
    nc = await connect(settings.servers()[1], name="test")
    yield ServiceClient(nc, settings.nats_prefix)
    await nc.close()


async def _register(client: ServiceClient, n: int) -> MemberView:
    req = RegisterRequest(pseudonym=f"Member {n}", email=f"member{n}@example.org", password="a fine long password")
    return await client.call("accounts", "register", req, MemberView)


async def test_email_is_never_stored_in_plaintext(accounts: ServiceClient, settings: Settings) -> None:
    await _register(accounts, 1)
    conn = await asyncpg.connect(settings.database_url)
    try:
        for table in ("events", "members", "streams"):
            dump = await conn.fetchval(f"SELECT coalesce(string_agg(t::text, ' '), '') FROM accounts.{table} t")
            assert "member1@example.org" not in dump, table
            assert "a fine long password" not in dump, table
    finally:
        await conn.close()


async def test_grant_moderator_by_pseudonym(accounts: ServiceClient) -> None:
    await _register(accounts, 2)
    granted = await accounts.call(
        "accounts", "grant_role", GrantRoleRequest(pseudonym="member 2", role="moderator"), MemberView, actor=operator()
    )
    assert set(granted.roles) == {"member", "moderator"}
    with pytest.raises(NotFound, match="No member is called"):
        await accounts.call(
            "accounts",
            "grant_role",
            GrantRoleRequest(pseudonym="Nobody", role="moderator"),
            MemberView,
            actor=operator(),
        )


async def test_rebuilt_read_models_equal_the_live_ones(accounts: ServiceClient, settings: Settings) -> None:
    members = [await _register(accounts, n) for n in range(5)]
    await accounts.call(
        "accounts", "grant_role", GrantRoleRequest(pseudonym="Member 3", role="moderator"), MemberView, actor=operator()
    )
    await accounts.call(
        "accounts", "sign_in", SignInRequest(email="member1@example.org", password="a fine long password"), object
    )
    leaving = Acting(member_id=members[2].member_id)
    await accounts.ask(acc.REQUEST_ERASURE, acc.ErasureRequest(password="a fine long password"), actor=leaving)
    pool = await asyncpg.create_pool(settings.database_url, min_size=1, max_size=2)
    try:
        service = SERVICE
        store = EventStore("accounts", service.registry)
        for projection in service.projections:
            (table,) = projection.tables
            before = await pool.fetch(f"SELECT * FROM accounts.{table} ORDER BY 1")
            replayed = await rebuild(pool, store, projection)
            after = await pool.fetch(f"SELECT * FROM accounts.{table} ORDER BY 1")
            assert replayed == 8  # 5 registrations, 1 role, 1 session, 1 erasure asked for
            assert [dict(r) for r in after] == [dict(r) for r in before]
            assert before, table
    finally:
        await pool.close()
