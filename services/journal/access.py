"""Who may see what in a journal: the one definition of it.

Each rule is written twice, side by side: in Python, for the domain's decisions and the read
side's views, and as a SQL fragment, for reads that filter rows in PostgreSQL. The fragments take
SQL expressions (columns or parameters) for the same inputs as the Python functions, and a test
holds the two equal on every combination against PostgreSQL (tests/integration/journal/test_access.py).
Pure: no I/O.
"""

from __future__ import annotations

import enum
from uuid import UUID


class Access(enum.Enum):
    """What a person is to one journal. In SQL, the same values as text."""

    OWNER = "owner"
    KEEPER = "keeper"
    ENCOURAGER = "encourager"
    NONE = "none"


# --- the journal: its owner, and its active supporters ---------------------------------------


def access_of(owner_id: UUID | None, actor: UUID, active_role: str | None) -> Access:
    """``active_role`` is the actor's role as an active supporter of the journal (None when they
    are not one: never invited, invited but not joined, or removed)."""
    if owner_id is not None and owner_id == actor:
        return Access.OWNER
    if active_role is None:
        return Access.NONE
    return Access.KEEPER if active_role == "keeper" else Access.ENCOURAGER


def access_sql(owner_id: str, actor: str, active_role: str) -> str:
    """``access_of`` in SQL: the access as text ('owner', 'keeper', 'encourager' or 'none')."""
    return (
        f"(CASE WHEN {owner_id} = {actor} THEN 'owner' WHEN {active_role} IS NULL THEN 'none'"
        f" WHEN {active_role} = 'keeper' THEN 'keeper' ELSE 'encourager' END)"
    )


# --- entries: the owner sees all; supporters what is shared with them and what they wrote -------


def sees_entry(access: Access, actor: UUID, visibility: str, author_id: UUID) -> bool:
    if access is Access.OWNER:
        return True
    if access is Access.NONE:
        return False
    return visibility == "supporters" or author_id == actor


def sees_entry_sql(access: str, actor: str, visibility: str = "e.visibility", author_id: str = "e.author_id") -> str:
    """``sees_entry`` in SQL; ``access`` is an expression of the access as text."""
    return (
        f"({access} = 'owner' OR ({access} IN ('keeper', 'encourager')"
        f" AND ({visibility} = 'supporters' OR {author_id} = {actor})))"
    )


# --- observations: the owner sees every one; a supporter only their own -------------------------


def sees_observation(access: Access, actor: UUID, author_id: UUID) -> bool:
    if access is Access.OWNER:
        return True
    return access is not Access.NONE and author_id == actor


def sees_observation_sql(access: str, actor: str, author_id: str = "o.author_id") -> str:
    return f"({access} = 'owner' OR ({access} IN ('keeper', 'encourager') AND {author_id} = {actor}))"


def timeline_statuses(access: Access) -> tuple[str, ...]:
    """Which observations a timeline shows: to the owner also the pending and the private ones."""
    return ("accepted", "pending", "kept_private") if access is Access.OWNER else ("accepted",)


def timeline_statuses_sql(access: str) -> str:
    return f"(CASE WHEN {access} = 'owner' THEN '{{accepted,pending,kept_private}}'::text[] ELSE '{{accepted}}'::text[] END)"


# --- supporters: only the owner is shown who supports them -------------------------------------


def sees_supporters(access: Access) -> bool:
    return access is Access.OWNER


def sees_supporters_sql(access: str) -> str:
    return f"({access} = 'owner')"
