"""Each web process caches who a session belongs to; ending a session anywhere ends it everywhere."""

from __future__ import annotations

import pytest
from litestar.testing import AsyncTestClient

from shared.bus.connection import connect
from shared.bus.rpc import ServiceClient
from shared.contracts.accounts import GrantRoleRequest, MemberView
from shared.settings import Settings
from shared.testing.plugin import eventually
from smallwins.servers import operator
from web.app import create_app

pytestmark = pytest.mark.e2e
MEMBER = {"pseudonym": "Robin", "email": "robin@example.org", "password": "long enough password"}


async def test_sign_out_on_one_web_process_ends_the_session_on_another(settings: Settings, system: object) -> None:
    async with AsyncTestClient(app=create_app(settings)) as a, AsyncTestClient(app=create_app(settings)) as b:
        await a.post("/api/members", json=MEMBER)
        token = (await a.post("/api/sessions", json={"email": MEMBER["email"], "password": MEMBER["password"]})).json()[
            "token"
        ]
        auth = {"Authorization": f"Bearer {token}"}
        assert (await b.get("/api/me", headers=auth)).json()["roles"] == ["member"]  # now cached in b

        nc = await connect(settings.servers()[1], name="test")
        await ServiceClient(nc, settings.nats_prefix).call(
            "accounts",
            "grant_role",
            GrantRoleRequest(pseudonym="Robin", role="moderator"),
            MemberView,
            actor=operator(),
        )
        await nc.close()

        async def b_sees_new_role() -> bool:
            return "moderator" in (await b.get("/api/me", headers=auth)).json()["roles"]

        await eventually(b_sees_new_role)
        assert (await a.delete("/api/sessions/current", headers=auth)).status_code == 204
        assert (await a.get("/api/me", headers=auth)).status_code == 401  # at once where it was ended

        async def b_refuses() -> bool:
            return (await b.get("/api/me", headers=auth)).status_code == 401

        await eventually(b_refuses, timeout=5)
