"""Helpers for driving the web edge like a browser would (cookies, CSRF tokens, forms)."""

from __future__ import annotations

import re

import asyncpg
from litestar.testing import AsyncTestClient

from shared.bus.connection import connect
from shared.bus.rpc import ServiceClient
from shared.contracts.accounts import GrantRoleRequest, MemberView
from shared.settings import Settings
from smallwins.servers import operator

CSRF_RE = re.compile(r'name="_csrf_token" value="([^"]+)"')


async def csrf_token(client: AsyncTestClient, path: str) -> str:  # type: ignore[type-arg]
    page = await client.get(path)
    match = CSRF_RE.search(page.text)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


async def post_form(client: AsyncTestClient, path: str, form: dict[str, str], *, page: str | None = None):  # type: ignore[no-untyped-def,type-arg]
    token = await csrf_token(client, page or path)
    return await client.post(path, data={**form, "_csrf_token": token}, follow_redirects=False)


async def count(database_url: str, sql: str) -> int:
    conn = await asyncpg.connect(database_url)
    try:
        return int(await conn.fetchval(sql))
    finally:
        await conn.close()


async def stored(database_url: str) -> tuple[int, int, int]:
    """(events, members, keys) stored by the accounts service."""
    return (
        await count(database_url, "SELECT count(*) FROM accounts.events"),
        await count(database_url, "SELECT count(*) FROM accounts.members"),
        await count(database_url, "SELECT count(*) FROM accounts.member_keys"),
    )


async def api_members(
    client: AsyncTestClient,  # type: ignore[type-arg]
    settings: Settings,
    names: tuple[str, ...],
    moderators: tuple[str, ...] = (),
) -> dict[str, str]:
    """Members joined and signed in over the API (``moderators`` granted the role by the operator):
    each name's session token."""
    tokens = {}
    for name in names:
        body = {"pseudonym": name, "email": f"{name.lower()}@example.org", "password": "long enough password"}
        assert (await client.post("/api/members", json=body)).status_code == 201
        if name in moderators:
            nc = await connect(settings.servers()[1], name="test")
            grant = GrantRoleRequest(pseudonym=name, role="moderator")
            await ServiceClient(nc, settings.nats_prefix).call(
                "accounts", "grant_role", grant, MemberView, actor=operator()
            )
            await nc.close()
        signin = {"email": body["email"], "password": body["password"]}
        tokens[name] = (await client.post("/api/sessions", json=signin)).json()["token"]
    return tokens
