"""A pseudonym that looks like one already taken (a Cyrillic "Мо" beside "Mo") is refused, also
when two sign-ups race, and also against members who signed up before skeletons were kept."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator

import asyncpg
import pytest
import pytest_asyncio
from argon2 import PasswordHasher

from services.accounts.events import REGISTRY
from services.accounts.handlers import AccountsHandlers
from shared.bus.rpc import CallContext
from shared.contracts.accounts import MemberView, RegisterRequest
from shared.db import create_pool
from shared.errors import Conflict
from shared.eventstore.store import EventStore

pytestmark = pytest.mark.integration

CTX = CallContext(correlation_id="test")
CYRILLIC_MO = "\u041c\u043e"


class GatedHasher(PasswordHasher):
    """Cheap argon2id; with a barrier set, two sign-ups wait for each other between their checks
    and their writes, so both have passed the look-up before either commits."""

    def __init__(self) -> None:
        super().__init__(time_cost=1, memory_cost=1024, parallelism=1)
        self.barrier: threading.Barrier | None = None

    def hash(self, password: str | bytes, *, salt: bytes | None = None) -> str:
        if self.barrier is not None:
            self.barrier.wait()
        return super().hash(password, salt=salt)


@pytest_asyncio.fixture
async def pool(database_url: str) -> AsyncIterator[asyncpg.Pool]:
    pool = await create_pool(database_url, schema="accounts")
    yield pool
    await pool.close()


def _handlers(pool: asyncpg.Pool, hasher: PasswordHasher | None = None) -> AccountsHandlers:
    return AccountsHandlers(pool, EventStore("accounts", REGISTRY), secret_key="s", hasher=hasher or GatedHasher())


def _request(name: str, email: str) -> RegisterRequest:
    return RegisterRequest(pseudonym=name, email=email, password="a fine long password")


async def _stored(pool: asyncpg.Pool) -> tuple[int, int, int, int]:
    return (
        await pool.fetchval("SELECT count(*) FROM accounts.events"),
        await pool.fetchval("SELECT count(*) FROM accounts.members"),
        await pool.fetchval("SELECT count(*) FROM accounts.credentials"),
        await pool.fetchval("SELECT count(*) FROM accounts.pseudonym_skeletons"),
    )


async def test_a_cyrillic_look_alike_is_refused_with_a_clear_message_and_stores_nothing(pool: asyncpg.Pool) -> None:
    handlers = _handlers(pool)
    await handlers.register(_request("Mo", "mo@example.org"), CTX)
    before = await _stored(pool)
    with pytest.raises(Conflict) as refused:
        await handlers.register(_request(CYRILLIC_MO, "other@example.org"), CTX)
    assert [(e.field, e.message) for e in refused.value.errors] == [
        (
            "pseudonym",
            "This pseudonym looks just like one someone already uses (some letters look alike in different"
            " alphabets, or 0 and O). Please choose another.",
        )
    ]
    assert await _stored(pool) == before
    await handlers.register(_request("Mi", "mi@example.org"), CTX)  # a different name is fine


async def test_two_racing_sign_ups_of_look_alikes_cannot_both_win(pool: asyncpg.Pool) -> None:
    hasher = GatedHasher()
    handlers = _handlers(pool, hasher)
    hasher.barrier = threading.Barrier(2, timeout=10)
    results = await asyncio.gather(
        handlers.register(_request("Mo", "mo@example.org"), CTX),
        handlers.register(_request(CYRILLIC_MO, "other@example.org"), CTX),
        return_exceptions=True,
    )
    assert sorted(type(r).__name__ for r in results) == ["Conflict", "MemberView"]
    conflict = next(r for r in results if isinstance(r, Conflict))
    assert "looks just like" in str(conflict)
    assert await pool.fetchval("SELECT count(*) FROM accounts.members") == 1


async def test_members_from_before_skeletons_are_protected_too(pool: asyncpg.Pool) -> None:
    earlier: MemberView = await _handlers(pool).register(_request("Mo", "mo@example.org"), CTX)
    await pool.execute("DELETE FROM accounts.pseudonym_skeletons")  # as a data folder from before
    with pytest.raises(Conflict, match="looks just like"):
        await _handlers(pool).register(_request(CYRILLIC_MO, "other@example.org"), CTX)  # a new process
    assert await pool.fetchval("SELECT member_id FROM accounts.pseudonym_skeletons") == earlier.member_id
