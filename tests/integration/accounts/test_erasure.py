"""Erasure in accounts with real PostgreSQL and a clock the test sets: the grace period, signing
in meanwhile (which offers to keep the account), keeping it, too late to keep it, the job that
erases once however many copies run, and what is left of the member afterwards: nothing."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID

import asyncpg
import pytest
import pytest_asyncio
from argon2 import PasswordHasher

from services.accounts.erasing import ErasureJob
from services.accounts.erasure import ErasureHandlers
from services.accounts.events import REGISTRY
from services.accounts.mailing import AccountMail
from services.accounts.projections import MEMBERS
from shared.contracts import accounts as acc
from shared.crypto import KeyErased, KeyStore
from shared.db import create_pool
from shared.errors import Conflict, Forbidden, Invalid, NotFound, Unauthenticated
from shared.eventstore.store import EventStore
from shared.mail import Outbox
from shared.projections import rebuild
from shared.settings import Settings
from shared.testing.plugin import MailBox
from tests.integration.accounts.mailroom import BASE, CTX, PASSWORD, Mailroom, mailroom

pytestmark = pytest.mark.integration
GRACE = dt.timedelta(days=7)
# Everything accounts keeps of a member, table by table (the log keeps ids and sealed text only).
KEPT = {
    "members": "member_id", "credentials": "member_id", "sessions": "member_id", "pseudonym_skeletons": "member_id",
    "mail_links": "member_id", "mail_outbox": "member_id", "member_keys": "member_id", "idempotency": "actor_id",
}  # fmt: skip


@dataclass
class Room:
    mail: Mailroom
    erasure: ErasureHandlers
    pool: asyncpg.Pool

    def job(self) -> ErasureJob:
        """The erasure job of one more copy of the service (its own handlers, the same clock)."""
        return ErasureJob(self.pool, self.erasure_handlers(), self.mail.clock)

    def erasure_handlers(self) -> ErasureHandlers:
        hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
        mail = AccountMail(Outbox("accounts", "Small Wins <hello@small-wins.invalid>"), BASE)
        store = EventStore("accounts", REGISTRY)
        return ErasureHandlers(
            self.pool, store, grace=GRACE, secret_key="s", hasher=hasher, mail=mail, clock=self.mail.clock
        )


@pytest_asyncio.fixture
async def room(database_url: str, sw_key_file: Path, settings: Settings, sw_mail: MailBox) -> AsyncIterator[Room]:
    pool = await create_pool(database_url, schema="accounts")
    made = Room(mail=mailroom(pool, settings, sw_mail), erasure=None, pool=pool)  # type: ignore[arg-type]
    made.erasure = made.erasure_handlers()
    made.mail.clock.now = dt.datetime.now(dt.UTC)  # sessions are checked against the database's clock too
    yield made
    await pool.close()


async def _join(room: Room, name: str) -> acc.MemberView:
    req = acc.RegisterRequest(pseudonym=name, email=f"{name.lower()}@example.org", password=PASSWORD)
    return await room.mail.accounts.register(req, CTX)


async def _sign_in(room: Room, name: str, password: str = PASSWORD) -> acc.SessionIssued:
    req = acc.SignInRequest(email=f"{name.lower()}@example.org", password=password)
    return await room.mail.accounts.sign_in(req, CTX)


async def _ask(room: Room, member: acc.MemberView, password: str = PASSWORD) -> acc.ErasureView:
    req = acc.ErasureRequest(actor_id=member.member_id, password=password)
    return await room.erasure.request_erasure(req, CTX)


async def _events(pool: asyncpg.Pool, member_id: UUID, kind: str) -> int:
    count: int = await pool.fetchval(
        "SELECT count(*) FROM accounts.events WHERE event_type = $1 AND data->>'member_id' = $2", kind, str(member_id)
    )
    return count


async def test_the_grace_period_locks_the_account_and_signing_in_offers_to_keep_it(room: Room) -> None:
    robin = await _join(room, "Robin")
    session = await _sign_in(room, "Robin")
    with pytest.raises(Invalid, match="isn't your current password") as refused:
        await _ask(room, robin, "not my password")
    assert refused.value.errors[0].field == "password"
    assert await _events(room.pool, robin.member_id, acc.ERASURE_REQUESTED) == 0  # nothing changed
    assert (await room.mail.accounts.session(acc.TokenRequest(token=session.token), CTX)).member_id == robin.member_id

    asked = await _ask(room, robin)
    assert asked.state == acc.ERASURE_SCHEDULED and asked.due_at == room.mail.clock.now + GRACE
    with pytest.raises(Unauthenticated):  # every session ended
        await room.mail.accounts.session(acc.TokenRequest(token=session.token), CTX)
    room.mail.clock.advance(hours=1)
    assert await _ask(room, robin) == asked  # asking twice: the same state, nothing new
    assert await _events(room.pool, robin.member_id, acc.ERASURE_REQUESTED) == 1

    room.mail.clock.advance(days=3)
    locked = await _sign_in(room, "Robin")
    assert locked.token == "" and locked.erasure_due == asked.due_at and locked.keep_token
    assert locked.member.pseudonym == "Robin"
    assert await room.pool.fetchval("SELECT count(*) FROM sessions WHERE ended_at IS NULL") == 0
    with pytest.raises(Unauthenticated):  # the wrong password learns nothing about the erasure
        await _sign_in(room, "Robin", "not my password")

    kept = await room.erasure.keep_account(acc.KeepAccountRequest(token=locked.keep_token), CTX)
    assert kept.token and kept.erasure_due is None and kept.member.member_id == robin.member_id
    assert (await room.mail.accounts.session(acc.TokenRequest(token=kept.token), CTX)).pseudonym == "Robin"
    state = await room.erasure.erasure(acc.ErasureStateRequest(actor_id=robin.member_id), CTX)
    assert state.state == acc.ERASURE_NONE
    with pytest.raises(NotFound):  # the token worked once
        await room.erasure.keep_account(acc.KeepAccountRequest(token=locked.keep_token), CTX)
    assert await room.job().run_due() == 0
    room.mail.clock.advance(days=30)
    assert await room.job().run_due() == 0  # kept: nothing is ever due


async def test_after_the_grace_period_keeping_is_refused_and_the_job_erases(room: Room) -> None:
    sam = await _join(room, "Sam")
    asked = await _ask(room, sam)
    room.mail.clock.advance(days=6, hours=23, minutes=50)
    early = await _sign_in(room, "Sam")
    assert await room.job().run_due() == 0  # not due yet
    room.mail.clock.now = asked.due_at or room.mail.clock.now
    with pytest.raises(Conflict, match="can't be stopped"):
        await room.erasure.keep_account(acc.KeepAccountRequest(token=early.keep_token), CTX)
    assert await _events(room.pool, sam.member_id, "accounts.erasure_cancelled.v1") == 0  # nothing changed
    assert await room.job().run_due() == 1
    state = await room.erasure.erasure(acc.ErasureStateRequest(actor_id=sam.member_id), CTX)
    assert state.state == acc.ERASURE_ERASED and state.erased_at == room.mail.clock.now
    with pytest.raises(Unauthenticated):  # no account has that address any more
        await _sign_in(room, "Sam")
    with pytest.raises(NotFound):
        await room.erasure.keep_account(acc.KeepAccountRequest(token=early.keep_token), CTX)


async def test_no_accounts_mail_goes_to_an_account_set_to_be_erased(room: Room) -> None:
    ana = await _join(room, "Ana")
    await room.mail.deliver()
    await room.mail.recovery.follow_link(acc.LinkRequest(token=room.mail.link("ana@example.org", "/confirm/")), CTX)
    await room.mail.recovery.forgot_password(acc.ForgotPasswordRequest(email="ana@example.org"), CTX)  # queued...
    await _ask(room, ana)  # ...and dropped: the erasure comes first
    await room.mail.recovery.forgot_password(acc.ForgotPasswordRequest(email="ana@example.org"), CTX)
    await room.mail.accounts.register(
        acc.RegisterRequest(pseudonym="Other", email="ana@example.org", password=PASSWORD), CTX
    )
    await room.mail.deliver()
    assert room.mail.subjects("ana@example.org") == ["Please confirm your e-mail address"]
    # nor does the notifications service get the address to mail it
    address = await room.mail.recovery.mail_address(acc.MailAddressRequest(member_id=ana.member_id), CTX)
    assert address.email is None


async def test_the_job_erases_once_with_two_copies_and_leaves_nothing_of_the_member(room: Room) -> None:
    robin, sam = await _join(room, "Robin"), await _join(room, "Sam")
    for who in (robin, sam):
        await _sign_in(room, who.pseudonym)
        with pytest.raises(Unauthenticated):
            await _sign_in(room, who.pseudonym, "a wrong password")
    await room.pool.execute(
        "INSERT INTO idempotency (actor_id, key, fingerprint, reply) VALUES ($1, 'k', 'f', 'x'), ($2, 'k', 'f', 'x')",
        robin.member_id, sam.member_id,
    )  # fmt: skip
    asked = await _ask(room, robin)
    room.mail.clock.now = (asked.due_at or room.mail.clock.now) + dt.timedelta(minutes=1)

    first, second = room.job(), room.job()  # two copies of the service, started after the request
    done = await asyncio.gather(first.run_due(), second.run_due())
    assert sorted(done) == [0, 1]
    assert await _events(room.pool, robin.member_id, "accounts.member_erased.v1") == 1
    assert await room.job().run_due() == 0

    for table, column in KEPT.items():
        rows = await room.pool.fetch(f"SELECT {column} FROM accounts.{table}")
        assert robin.member_id not in {r[0] for r in rows}, table
        assert sam.member_id in {r[0] for r in rows}, table
    failures = [r[0] for r in await room.pool.fetch("SELECT key FROM sign_in_failures")]
    assert f"member:{robin.member_id}" not in failures and any(k.startswith("email:") for k in failures)
    assert len([k for k in failures if k.startswith("email:")]) == 1  # Sam's stays
    async with room.pool.acquire() as conn:
        with pytest.raises(KeyErased):
            await KeyStore("accounts").get(conn, robin.member_id)
    assert await room.pool.fetchval("SELECT true FROM erased WHERE member_id = $1", robin.member_id)

    # reads of the erased member answer calmly: no name, no address, no account
    assert (await room.mail.recovery.pseudonym(acc.PseudonymRequest(member_id=robin.member_id), CTX)).pseudonym is None
    address = await room.mail.recovery.mail_address(acc.MailAddressRequest(member_id=robin.member_id), CTX)
    assert address.email is None
    with pytest.raises(NotFound):
        await room.mail.account.account(acc.AccountRequest(actor_id=robin.member_id), CTX)
    # the members read model rebuilt from the log brings nothing of theirs back
    replayed = await rebuild(room.pool, EventStore("accounts", REGISTRY), MEMBERS)
    assert replayed > 0
    names = [r[0] for r in await room.pool.fetch("SELECT pseudonym FROM members")]
    assert names == ["Sam"]
    # the log keeps no name in clear, for the new members: sealed with a key that is gone
    logged = await room.pool.fetchval("SELECT string_agg(data::text, ' ') FROM events")
    assert "Robin" not in logged and "robin@example.org" not in logged


async def test_the_operator_erases_at_once_and_erasing_twice_changes_nothing(room: Room) -> None:
    cy = await _join(room, "Cy")
    session = await _sign_in(room, "Cy")
    with pytest.raises(Forbidden, match="administrator"):
        await room.erasure.erase_now(acc.EraseNowRequest(actor_id=cy.member_id, pseudonym="Cy"), CTX)
    operator = UUID(int=7)
    admin = acc.EraseNowRequest(actor_id=operator, roles=("admin",), pseudonym="cy")
    done = await room.erasure.erase_now(admin, CTX)
    assert done.member_id == cy.member_id and done.pseudonym == "Cy" and not done.already
    with pytest.raises(Unauthenticated):
        await room.mail.accounts.session(acc.TokenRequest(token=session.token), CTX)
    assert await room.pool.fetchval("SELECT requested_by FROM erasures WHERE member_id = $1", cy.member_id) == operator
    with pytest.raises(NotFound, match="No member is called"):
        await room.erasure.erase_now(admin, CTX)
    assert await _events(room.pool, cy.member_id, "accounts.member_erased.v1") == 1
    with pytest.raises(NotFound, match="No member is called 'Nobody'"):
        await room.erasure.erase_now(acc.EraseNowRequest(actor_id=operator, roles=("admin",), pseudonym="Nobody"), CTX)
