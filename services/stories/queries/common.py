"""What every read of the stories service shares: sealed text opened in one place, the facts the
access rules need from a row, excerpts and cursors."""

from __future__ import annotations

import base64
import datetime as dt
from uuid import UUID

import asyncpg
import msgspec

from services.stories.commands import Who
from shared.contracts import stories as c
from shared.crypto import Opener, unwrap

S = "stories"
EXCERPT = 280
# A moderator's name in the audit and on an item, when the stories service no longer knows it:
# someone who left Small Wins (their decisions stay, by id), or someone not heard of yet.
FORMER_MODERATOR, A_MODERATOR = "a former moderator", "a moderator"


def moderator_name(alias: str) -> str:
    """SQL for the name of the moderator joined as ``alias`` (from ``people``), with ``alias``_gone
    joined from ``erased``; see ``moderator_join``."""
    return (
        f"coalesce({alias}.pseudonym, CASE WHEN {alias}_gone.member_id IS NULL THEN '{A_MODERATOR}'"
        f" ELSE '{FORMER_MODERATOR}' END)"
    )


def moderator_join(alias: str, column: str) -> str:
    """The joins ``moderator_name(alias)`` reads, for the moderator whose id is ``column``."""
    return (
        f" LEFT JOIN {S}.people {alias} ON {alias}.member_id = {column}"
        f" LEFT JOIN {S}.erased {alias}_gone ON {alias}_gone.member_id = {column}"
    )


KEYED = f"FROM {S}.posts p JOIN {S}.member_keys k ON k.member_id = p.author_id"
POST = f"SELECT p.*, k.key {KEYED}"


class Opened:
    """The sealed columns of one row, opened with its author's key (one cipher per row). The only
    place a read opens sealed text; a row whose author's key was erased never gets here."""

    def __init__(self, row: asyncpg.Record) -> None:
        self._row = row
        self._opener = Opener(unwrap(bytes(row["key"]), row["author_id"]), row["author_id"])

    def __getitem__(self, column: str) -> str:
        sealed = self._row[column]
        return self._opener.open(sealed) if sealed else ""

    def name(self) -> str:
        """The author's pseudonym: sealed since erasure was built, in clear in rows of older events."""
        stored: str = self._row["pseudonym"]
        try:
            return self._opener.open(stored)
        except ValueError:
            return stored


class Facts(msgspec.Struct, frozen=True, kw_only=True):
    """What ``access`` needs to know of a post, read from its row."""

    kind: str
    author_id: UUID
    story_author_id: UUID
    status: str
    hidden: bool
    hidden_by_author: bool


def facts(row: asyncpg.Record) -> Facts:
    return Facts(
        kind=row["kind"], author_id=row["author_id"], story_author_id=row["story_author_id"], status=row["status"],
        hidden=row["hidden"], hidden_by_author=row["hidden_by_author"],
    )  # fmt: skip


def who_of(req: c.Actor | c.Reader) -> Who | None:
    """The reader as the access rules take them (None for a visitor)."""
    return None if req.actor_id is None else Who(actor_id=req.actor_id, roles=frozenset(req.roles))


def member_of(req: c.Actor) -> Who:
    return Who(actor_id=req.actor_id, roles=frozenset(req.roles))


def excerpt(text: str) -> str:
    if len(text) <= EXCERPT:
        return text
    return text[:EXCERPT].rsplit(" ", 1)[0].rstrip(",.;:") + "…"


def named(kind: str, text: Opened) -> str:
    """An item's name in moderators' lists: a story's title, a reply's opening words."""
    return text["title"] if kind == "story" else excerpt(text["body"])[:80]


def encode_cursor(at: dt.datetime, item: UUID) -> str:
    return base64.urlsafe_b64encode(f"{at.isoformat()}|{item}".encode()).decode()


def decode_cursor(cursor: str) -> tuple[dt.datetime, UUID] | None:
    """The position a cursor names, or None when it is not one of ours."""
    try:
        at, _, item = base64.urlsafe_b64decode(cursor.encode()).decode().partition("|")
        return dt.datetime.fromisoformat(at), UUID(item)
    except (ValueError, UnicodeError):
        return None


QueuePosition = tuple[bool, dt.datetime, UUID]


def encode_queue_cursor(urgent: bool, at: dt.datetime, item: UUID) -> str:
    return ("u" if urgent else "n") + encode_cursor(at, item)


def decode_queue_cursor(cursor: str) -> QueuePosition | None:
    """The queue position a cursor names, or None when it is not one of ours."""
    found = decode_cursor(cursor[1:]) if cursor[:1] in ("u", "n") else None
    return (cursor[0] == "u", *found) if found else None
