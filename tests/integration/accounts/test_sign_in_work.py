"""Sign-in does the same work whether or not the address has an account (no timing oracle)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest
import pytest_asyncio
from argon2 import PasswordHasher

from services.accounts.events import REGISTRY
from services.accounts.handlers import AccountsHandlers
from shared.bus.rpc import CallContext
from shared.contracts.accounts import RegisterRequest, SignInRequest
from shared.db import create_pool
from shared.errors import Unauthenticated
from shared.eventstore.store import EventStore

pytestmark = pytest.mark.integration

CTX = CallContext(correlation_id="test")
PASSWORD = "a fine long password"


class CountingHasher(PasswordHasher):
    """A real (cheap) argon2id hasher that remembers every hash it was asked to check against."""

    def __init__(self) -> None:
        super().__init__(time_cost=1, memory_cost=1024, parallelism=1)
        self.checked: list[str] = []

    def verify(self, hash: str | bytes, password: str | bytes) -> bool:  # type: ignore[override]
        self.checked.append(hash if isinstance(hash, str) else hash.decode())
        return super().verify(hash, password)


@pytest_asyncio.fixture
async def pool(database_url: str, sw_key_file: Path) -> AsyncIterator[asyncpg.Pool]:  # keys wrapped as the services do
    pool = await create_pool(database_url, schema="accounts")
    yield pool
    await pool.close()


async def test_an_unknown_address_costs_one_password_check_like_a_wrong_password(pool: asyncpg.Pool) -> None:
    hasher = CountingHasher()
    handlers = AccountsHandlers(pool, EventStore("accounts", REGISTRY), secret_key="s", hasher=hasher)
    member = await handlers.register(
        RegisterRequest(pseudonym="Robin", email="robin@example.org", password=PASSWORD), CTX
    )
    real_hash = await pool.fetchval(
        "SELECT password_hash FROM accounts.credentials WHERE member_id = $1", member.member_id
    )
    hasher.checked.clear()

    with pytest.raises(Unauthenticated) as unknown:
        await handlers.sign_in(SignInRequest(email="nobody@example.org", password=PASSWORD), CTX)
    assert len(hasher.checked) == 1  # a dummy hash was checked, as a real one would have been
    assert hasher.checked[0].startswith("$argon2id$") and hasher.checked[0] != real_hash

    with pytest.raises(Unauthenticated) as wrong:
        await handlers.sign_in(SignInRequest(email="robin@example.org", password="not the password"), CTX)
    assert hasher.checked[1:] == [real_hash]
    assert str(unknown.value) == str(wrong.value)  # and the answer is the same

    issued = await handlers.sign_in(SignInRequest(email="robin@example.org", password=PASSWORD), CTX)
    assert issued.member.member_id == member.member_id and hasher.checked[2:] == [real_hash]
