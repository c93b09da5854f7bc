"""Who may see what, in Python and in SQL: the two spellings of each rule in
``services.journal.access`` agree on every case, evaluated by PostgreSQL itself."""

from __future__ import annotations

import itertools
from uuid import UUID

import asyncpg
import pytest

from services.journal.access import (
    Access,
    access_of,
    access_sql,
    sees_entry,
    sees_entry_sql,
    sees_observation,
    sees_observation_sql,
    sees_supporters,
    sees_supporters_sql,
    timeline_statuses,
    timeline_statuses_sql,
)

pytestmark = pytest.mark.integration

ME, SOMEONE = UUID(int=1), UUID(int=2)
OWNERS = (ME, SOMEONE, None)  # I own it, someone else does, or it waits for its owner
ROLES = (None, "keeper", "encourager")  # my role as an active supporter
VISIBILITIES = ("private", "supporters")
AUTHORS = (ME, SOMEONE)

_ACCESS = access_sql("$1::uuid", "$2::uuid", "$3::text")
_SQL = (
    f"SELECT {_ACCESS} AS access, {sees_entry_sql(_ACCESS, '$2::uuid', '$4::text', '$5::uuid')} AS entry,"
    f" {sees_observation_sql(_ACCESS, '$2::uuid', '$5::uuid')} AS observation,"
    f" {sees_supporters_sql(_ACCESS)} AS supporters, {timeline_statuses_sql(_ACCESS)} AS statuses"
)


async def test_python_and_sql_agree_on_every_combination(database_url: str) -> None:
    conn = await asyncpg.connect(database_url)
    try:
        seen = set()
        for owner, role, visibility, author in itertools.product(OWNERS, ROLES, VISIBILITIES, AUTHORS):
            row = await conn.fetchrow(_SQL, owner, ME, role, visibility, author)
            access = access_of(owner, ME, role)
            case = (owner, role, visibility, author)
            assert row["access"] == access.value, case
            assert row["entry"] is sees_entry(access, ME, visibility, author), case
            assert row["observation"] is sees_observation(access, ME, author), case
            assert row["supporters"] is sees_supporters(access), case
            assert tuple(row["statuses"]) == timeline_statuses(access), case
            seen.add((access, visibility, author == ME))
    finally:
        await conn.close()
    assert seen == set(itertools.product(Access, VISIBILITIES, (True, False)))  # every case was met


def test_the_rules_read_as_the_product_says() -> None:
    """The owner sees all; supporters what is shared and what they wrote; anyone else nothing."""
    for visibility, author in itertools.product(VISIBILITIES, AUTHORS):
        assert sees_entry(Access.OWNER, ME, visibility, author)
        assert not sees_entry(Access.NONE, ME, visibility, author)
        for supporter in (Access.KEEPER, Access.ENCOURAGER):
            assert sees_entry(supporter, ME, visibility, author) is (visibility == "supporters" or author == ME)
    assert access_of(None, ME, None) is Access.NONE and access_of(ME, ME, "keeper") is Access.OWNER
