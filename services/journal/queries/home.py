"""What waits for a member: in their own journal, and in the journals they support."""

from __future__ import annotations

from uuid import UUID

import asyncpg

from services.journal.queries.viewer import S, display_name, name_sql, opener_of
from shared.contracts import journal as c


async def supporting(conn: asyncpg.Connection, actor_id: UUID) -> list[c.SupportedJournal]:
    """The journals this person is invited to or supports, by name."""
    rows = await conn.fetch(
        "SELECT j.journal_id,"
        f" coalesce((SELECT p.pseudonym FROM {S}.people p WHERE p.member_id = j.owner_id), j.owner_name) AS owner_name,"
        " j.for_name, s.role, s.status, j.stage,"
        " (j.owner_id IS NULL) AS claim_pending, j.pending_stage, k.key"
        f" FROM {S}.supporters s JOIN {S}.journals j USING (journal_id)"
        f" LEFT JOIN {S}.member_keys k ON k.member_id = j.journal_id WHERE s.supporter_id = $1",
        actor_id,
    )
    journals = []
    for r in rows:
        sealed_name = r["for_name"] and not r["owner_name"]  # kept for someone: its name is sealed
        opener = opener_of(r["key"], r["journal_id"]) if sealed_name else None
        fields = {k: r[k] for k in ("journal_id", "role", "status", "stage", "claim_pending", "pending_stage")}
        name = display_name(r["owner_name"], r["for_name"], opener)
        journals.append(c.SupportedJournal(owner_name=name, **fields))
    return sorted(journals, key=lambda j: (j.owner_name.casefold(), j.owner_name))


async def next_steps(conn: asyncpg.Connection, actor_id: UUID) -> c.NextSteps:
    """What waits for the owner in their own journal: a handover step, entries to confirm,
    observations to decide; and the journals they are invited to or support."""
    row = await conn.fetchrow(
        "SELECT j.pending_stage,"
        f" (SELECT {name_sql('a.actor_id')} FROM {S}.activity a"
        "  WHERE a.journal_id = j.journal_id AND a.kind = 'proposed' ORDER BY a.at DESC LIMIT 1) AS proposed_by,"
        f" (SELECT count(*) FROM {S}.entries e WHERE e.journal_id = j.journal_id AND e.needs_confirmation"
        "  AND NOT e.confirmed AND NOT e.retracted) AS to_confirm,"
        f" (SELECT count(*) FROM {S}.observations o WHERE o.journal_id = j.journal_id AND o.status = 'pending')"
        "  AS observations,"
        f" EXISTS (SELECT 1 FROM {S}.entries e WHERE e.journal_id = j.journal_id AND NOT e.retracted) AS has_entries"
        f" FROM {S}.journals j WHERE j.owner_id = $1",
        actor_id,
    )
    supported = tuple(await supporting(conn, actor_id))
    if row is None:
        return c.NextSteps(supporting=supported)
    return c.NextSteps(
        has_entries=row["has_entries"], pending_stage=row["pending_stage"],
        proposed_by=(row["proposed_by"] or "") if row["pending_stage"] else "", to_confirm=row["to_confirm"],
        observations=row["observations"], supporting=supported,
    )  # fmt: skip
