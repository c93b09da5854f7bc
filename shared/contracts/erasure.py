"""Erasure: a member leaves and takes every word with them (docs/adr/0034-erasure.md).

The accounts service decides that a member is erased (after a grace period, or at once by an
operator) and publishes ``MEMBER_ERASED``, ids only. Every other service that keeps something of
members follows it: it destroys the member's data keys, purges their rows from its read models,
keeps their id in its ``erased`` table (so that a rebuild and late events bring nothing back) and
records its own erasure event, ids only, named in ``APPLIED``. Accounts follows those in turn and
reports an erasure done only once every service in ``APPLIED`` has applied it.

Pseudonyms do not travel in events (a published event would keep a pseudonym in JetStream after
its owner left): a service that shows who did something keeps ``member id -> pseudonym`` in its own
read model and asks accounts for it (``PSEUDONYM``, served to the services named in its callers).
"""

from __future__ import annotations

import datetime as dt
from typing import Final
from uuid import UUID

import msgspec

MEMBER_ERASED: Final = "accounts.member_erased.v1"
"""The member is gone: every service erases what it keeps of them."""

APPLIED: Final[dict[str, str]] = {
    "journal": "journal.member_erased.v1",
    "stories": "stories.member_erased.v1",
    "notifications": "notifications.member_erased.v1",
}
"""Each service that keeps something of members, and the event by which it says it has erased it."""

PLACEHOLDER_NAME: Final = "a former member"
"""How a member who has left is named where others still see something they touched."""

PLACEHOLDER_SUPPORTER: Final = "a former supporter"
"""How a supporter who has left is named in the journal they kept or supported."""

PLACEHOLDER_TEXT: Final = "This can no longer be read: the person who wrote it has left Small Wins."
"""What a reader sees in place of sealed text whose key is gone (never an error page)."""


class ErasureSeen(msgspec.Struct, frozen=True, kw_only=True):
    """What a service reads of ``MEMBER_ERASED`` and of every service's ``APPLIED`` event."""

    member_id: UUID
    erased_at: dt.datetime | None = None
