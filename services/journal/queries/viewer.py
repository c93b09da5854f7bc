"""Who is looking at which journal, and the journal's own fields as they may see them. Sealed
text is opened here, and only here."""

from __future__ import annotations

from uuid import UUID

import asyncpg
import msgspec

from services.journal.access import Access, access_of, access_sql, sees_entry_sql, sees_supporters_sql
from shared.contracts import journal as c
from shared.contracts.erasure import PLACEHOLDER_NAME, PLACEHOLDER_SUPPORTER, PLACEHOLDER_TEXT
from shared.crypto import Opener, unwrap

S = "journal"
ERASED = PLACEHOLDER_TEXT  # sealed text whose key is gone (ADR 35): said calmly, never an error


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def name_sql(member: str) -> str:
    """The name of ``member`` (a SQL expression) as a journal's pages show it: their pseudonym;
    "a former supporter" once they are erased (whoever is erased and still named in a journal that
    stays was one of its supporters: an owner takes the journal with them); else ''."""
    return (
        f"coalesce((SELECT p.pseudonym FROM {S}.people p WHERE p.member_id = {member}),"
        f" (SELECT {_literal(PLACEHOLDER_SUPPORTER)} FROM {S}.erased x WHERE x.member_id = {member}), '')"
    )


def author_key_sql(author: str, sealed: str) -> str:
    """The wrapped key (hex) of the author of a note or observation sealed twice (ADR 35), or NULL."""
    return (
        f"CASE WHEN {sealed} THEN (SELECT encode(k.key, 'hex') FROM {S}.member_keys k WHERE k.member_id = {author}) END"
    )


class Viewer(msgspec.Struct, frozen=True, kw_only=True):
    """What one person may see of one journal, and the journal's own fields."""

    journal_id: UUID
    actor_id: UUID
    access: Access
    owner_id: UUID | None
    owner_name: str
    stage: str
    pending_stage: str | None
    opener: Opener | None  # None once the journal's key is erased


# The journal a person asks for ($1, or their own: the one they own, else $3) with what they need
# to see it: its key, their active supporter role, and their access (as text, see access.py). $2
# is the person. The owner is named from ``people`` (events carry no names since ADR 35; older
# journals hold the name they were started or claimed with).
VIEWER_SQL = (
    "SELECT j.journal_id, j.owner_id,"
    f" coalesce((SELECT p.pseudonym FROM {S}.people p WHERE p.member_id = j.owner_id), j.owner_name) AS owner_name,"
    " j.for_name, j.stage, j.pending_stage, k.key, s.role,"
    f" {access_sql('j.owner_id', '$2', 's.role')} AS access FROM {S}.journals j"
    f" LEFT JOIN {S}.member_keys k ON k.member_id = j.journal_id"
    f" LEFT JOIN {S}.supporters s ON s.journal_id = j.journal_id AND s.supporter_id = $2 AND s.status = 'active'"
    f" WHERE j.journal_id = coalesce($1, (SELECT o.journal_id FROM {S}.journals o WHERE o.owner_id = $2), $3)"
)


async def viewer(conn: asyncpg.Connection, actor_id: UUID, journal_id: UUID | None, own_id: UUID) -> Viewer | None:
    """None when the journal does not exist for this person (also when they may not see it). One query."""
    return viewer_of(await conn.fetchrow(VIEWER_SQL, journal_id, actor_id, own_id), actor_id)


def viewer_of(row: asyncpg.Record | None, actor_id: UUID) -> Viewer | None:
    """The viewer of a row of ``VIEWER_SQL``: its owner, or one of its active supporters."""
    if row is None:
        return None
    access = access_of(row["owner_id"], actor_id, row["role"])
    if access is Access.NONE:
        return None
    opener = opener_of(row["key"], row["journal_id"])
    return Viewer(
        journal_id=row["journal_id"], actor_id=actor_id, access=access, owner_id=row["owner_id"],
        owner_name=display_name(row["owner_name"], row["for_name"], opener), stage=row["stage"],
        pending_stage=row["pending_stage"], opener=opener,
    )  # fmt: skip


def opener_of(wrapped: bytes | None, journal_id: UUID) -> Opener | None:
    """What opens a journal's sealed text: its data key, unwrapped (None once the key is erased)."""
    return Opener(unwrap(bytes(wrapped), journal_id), journal_id) if wrapped else None


def display_name(owner_name: str, for_name: str, opener: Opener | None) -> str:
    """The owner's pseudonym, or, while the journal waits for them, the name it was started for
    (sealed; in clear in journals started before ADR 18, which hold it in ``owner_name``)."""
    if owner_name or not for_name:
        return owner_name
    return opener.open(for_name) if opener else PLACEHOLDER_NAME


def opened(v: Viewer, sealed: str) -> str:
    if not sealed:
        return ""
    if v.opener is None:
        return ERASED
    return v.opener.open(sealed)


def opened_by(v: Viewer, sealed: str, author_id: UUID, author_key: str | None, author_sealed: bool) -> str:
    """A note or an observation: sealed twice since ADR 35 (the author's key inside, read by
    ``author_key_sql``), with the journal's key alone before. A key that is gone reads as ``ERASED``."""
    text = opened(v, sealed)
    if not author_sealed or v.opener is None:
        return text
    if author_key is None:
        return ERASED
    return Opener(unwrap(bytes.fromhex(author_key), author_id), author_id).open(text)


def sees_entry_scan(access: str, actor: str, e: str = "e") -> str:
    """``access.sees_entry_sql`` for the entries ``e`` of a scan that stops after a page.

    The same rule, inside ``coalesce(..., false)`` (a NULL filters a row out either way): the
    planner cannot estimate the rule and took it as 1 % of the rows, so it read and sorted the
    whole journal rather than walk an index and stop after a page; wrapped, it takes it as half
    (ADR 26)."""
    return f"coalesce({sees_entry_sql(access, actor, f'{e}.visibility', f'{e}.author_id')}, false)"


def supporters_sql(journal: str, access: str) -> str:
    """The journal's supporters as one column of JSON rows, for whoever may see them (``access`` is
    the viewer's access as a SQL expression)."""
    return (
        "(SELECT json_agg(json_build_array(s.supporter_id, coalesce(p.pseudonym, s.name), s.role, s.status)"
        f" ORDER BY coalesce(p.pseudonym, s.name)) FROM {S}.supporters s"
        f" LEFT JOIN {S}.people p ON p.member_id = s.supporter_id"
        f" WHERE {sees_supporters_sql(access)} AND s.journal_id = {journal})::text"
    )


_supporters_decoder = msgspec.json.Decoder(list[tuple[UUID, str, str, str]])


def journal_of_viewer(v: Viewer, supporters: str | None) -> c.JournalView:
    """The journal as its viewer sees it, with the supporters read by ``supporters_sql``."""
    return c.JournalView(
        journal_id=v.journal_id, exists=True, owner_id=v.owner_id, owner_name=v.owner_name, stage=v.stage,
        pending_stage=v.pending_stage, access=v.access.value,
        supporters=tuple(
            c.SupporterView(supporter_id=sid, name=name, role=role, status=status)
            for sid, name, role, status in _supporters_decoder.decode(supporters or "[]")
        ),
    )  # fmt: skip


async def journal_view(conn: asyncpg.Connection, v: Viewer) -> c.JournalView:
    sql = f"SELECT {supporters_sql('$1', '$2::text')}"
    return journal_of_viewer(v, await conn.fetchval(sql, v.journal_id, v.access.value))


def empty_journal(journal_id: UUID, name: str) -> c.JournalView:
    """A member's own journal before their first write."""
    return c.JournalView(
        journal_id=journal_id, exists=False, owner_id=None, owner_name=name, stage="member_keeps",
        pending_stage=None, access="owner",
    )  # fmt: skip
