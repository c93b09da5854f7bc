"""What callers ask the journal to do. Text here is plain; handlers seal it before events."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

import msgspec


class EntryInput(msgspec.Struct, frozen=True, kw_only=True):
    kind: str
    text: str = ""
    helped: str = ""
    mood: int | None = None
    themes: tuple[str, ...] = ()
    occurred_on: dt.date | None = None
    visibility: str = "private"


class RecordEntry(msgspec.Struct, frozen=True, kw_only=True):
    entry_id: UUID
    actor_id: UUID
    entry: EntryInput
    today: dt.date
    now: dt.datetime


class EditEntry(msgspec.Struct, frozen=True, kw_only=True):
    actor_id: UUID
    entry: EntryInput
    today: dt.date
    now: dt.datetime
