"""Erasing an account through the web edge, every service running: the JSON API (the password
again, sessions ending, a locked sign-in, keeping the account) and the pages (the settings link,
the page that says what goes, the page a sign-in shows meanwhile, keeping the account)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from uuid import UUID

import pytest
import pytest_asyncio
from litestar.testing import AsyncTestClient

from shared.bus.connection import connect
from shared.bus.rpc import ServiceClient
from shared.contracts import accounts as acc
from shared.contracts.common import Acting
from shared.errors import Forbidden
from shared.settings import Settings
from tests.e2e.helpers import api_members, post_form
from web.app import create_app

pytestmark = pytest.mark.e2e
PASSWORD = "long enough password"


@pytest_asyncio.fixture
async def client(settings: Settings, system: object) -> AsyncIterator[AsyncTestClient]:  # type: ignore[type-arg]
    async with AsyncTestClient(app=create_app(settings)) as c:
        yield c


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_erasure_over_the_api_locks_the_account_until_it_is_kept(
    client: AsyncTestClient,  # type: ignore[type-arg]
    settings: Settings,
) -> None:
    tokens = await api_members(client, settings, ("Ana", "Bo"))
    ana, bo = _bearer(tokens["Ana"]), _bearer(tokens["Bo"])
    state = await client.get("/api/account/erasure", headers=ana)
    assert state.status_code == 200 and state.json() == {
        "state": "none", "requested_at": None, "due_at": None, "grace_days": settings.erasure_grace_days,
    }  # fmt: skip

    wrong = await client.post("/api/account/erasure", json={"password": "not my password"}, headers=ana)
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "password"
    bo_id = (await client.get("/api/me", headers=bo)).json()["id"]
    naming = await client.post("/api/account/erasure", json={"password": PASSWORD, "member_id": bo_id}, headers=ana)
    assert naming.status_code == 422 and "member_id" in naming.text  # the session alone says who acts
    assert (
        await client.post(f"/api/members/{bo_id}/erasure", json={"password": PASSWORD}, headers=ana)
    ).status_code == 404
    assert (await client.get("/api/account/erasure", headers=ana)).json()["state"] == "none"  # nothing changed

    asked = await client.post("/api/account/erasure", json={"password": PASSWORD}, headers=ana)
    assert asked.status_code == 202 and asked.json()["state"] == "scheduled" and asked.json()["due_at"]
    assert (await client.get("/api/me", headers=ana)).status_code == 401  # every session ended, this one too
    again = await client.post("/api/account/erasure", json={"password": PASSWORD}, headers=ana)
    assert again.status_code == 401
    assert (await client.get("/api/me", headers=bo)).status_code == 200  # nobody else's

    signin = {"email": "ana@example.org", "password": PASSWORD}
    locked = await client.post("/api/sessions", json=signin)
    assert locked.status_code == 409 and "keep_account" in locked.json()["detail"]
    assert (await client.post("/api/sessions", json={**signin, "password": "wrong password"})).status_code == 401
    kept = await client.post("/api/sessions", json={**signin, "keep_account": True})
    assert kept.status_code == 201
    mine = _bearer(kept.json()["token"])
    assert (await client.get("/api/account/erasure", headers=mine)).json()["state"] == "none"
    assert (await client.post("/api/sessions", json=signin)).status_code == 201  # signing in as usual again


async def test_the_actor_is_always_the_sessions_member(settings: Settings, system: object) -> None:
    """A request that names the member to erase in its body is refused by the kernel, before accounts."""
    nc = await connect(settings.servers()[1], name="test")
    try:
        client = ServiceClient(nc, settings.nats_prefix)
        ana = await client.ask(
            acc.REGISTER, acc.RegisterRequest(pseudonym="Ana", email="ana@example.org", password=PASSWORD)
        )
        bo = await client.ask(
            acc.REGISTER, acc.RegisterRequest(pseudonym="Bo", email="bo@example.org", password=PASSWORD)
        )
        forged = acc.ErasureRequest(actor_id=bo.member_id, password=PASSWORD)
        with pytest.raises(Forbidden):
            await client.ask(acc.REQUEST_ERASURE, forged, actor=Acting(member_id=ana.member_id))
        state = await client.ask(acc.ERASURE, acc.ErasureStateRequest(), actor=Acting(member_id=bo.member_id))
        assert state.state == acc.ERASURE_NONE and isinstance(state.member_id, UUID)
    finally:
        await nc.close()


async def test_the_pages_say_what_goes_ask_the_password_and_offer_to_keep_the_account(
    client: AsyncTestClient,  # type: ignore[type-arg]
    settings: Settings,
) -> None:
    robin = {"pseudonym": "Robin", "email": "robin@example.org", "password": PASSWORD}
    await post_form(client, "/signup", robin)
    signin = {"email": robin["email"], "password": PASSWORD}
    assert (await post_form(client, "/signin", signin)).status_code in (302, 303)
    assert 'href="/settings/erase"' in (await client.get("/settings")).text
    page = await client.get("/settings/erase")
    assert page.status_code == 200
    for words in ("What goes", "What stays", "a former supporter", "a former member", "/export.zip", "7 days"):
        assert words in page.text, words

    wrong = await post_form(client, "/settings/erase", {"password": "not my password"})
    assert wrong.status_code == 422 and "isn&#39;t your current password" in wrong.text
    assert (await client.get("/settings")).status_code == 200  # still signed in: nothing changed

    gone = await post_form(client, "/settings/erase", {"password": PASSWORD})
    assert gone.status_code == 200 and "Goodbye for now" in gone.text and "signed out everywhere" in gone.text
    assert (await client.get("/settings", follow_redirects=False)).status_code in (302, 303)

    locked = await post_form(client, "/signin", signin)
    assert locked.status_code == 200 and "Your account is set to be erased" in locked.text
    token = re.search(r'name="keep_token" value="([^"]+)"', locked.text)
    assert token and "sw_session" not in locked.headers.get("set-cookie", "")
    kept = await post_form(client, "/signin/keep", {"keep_token": token.group(1)}, page="/signin")
    assert kept.status_code in (302, 303) and kept.headers["location"] == "/settings?done=kept"
    welcome = await client.get("/settings?done=kept")
    assert welcome.status_code == 200 and "nothing will be erased" in welcome.text
    used = await post_form(client, "/signin/keep", {"keep_token": token.group(1)}, page="/signin")
    assert used.status_code == 404 and "Please sign in again" in used.text
