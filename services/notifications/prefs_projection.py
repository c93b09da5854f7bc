"""The ``preferences`` read model: one row per member who chose, holding the domain's folded
``Preferences`` (the same pure ``evolve`` live and on a rebuild; tables named without a schema).
A member who has left has none, and gets none again on a rebuild."""

from __future__ import annotations

import asyncpg
import msgspec

from services.notifications import forgetting
from services.notifications.domain.preferences import evolve
from services.notifications.events import MemberErased, PreferencesSet, Unsubscribed
from shared.contracts.notification_prefs import Preferences
from shared.messages import Event
from shared.projections import Projection

READ = "SELECT prefs FROM preferences WHERE member_id = $1"
_WRITE = (
    "INSERT INTO preferences (member_id, prefs) VALUES ($1, $2::jsonb)"
    " ON CONFLICT (member_id) DO UPDATE SET prefs = excluded.prefs"
)


def decoded(raw: str | None) -> Preferences | None:
    return None if raw is None else msgspec.json.decode(raw, type=Preferences)


async def _apply(conn: asyncpg.Connection, event: Event) -> None:
    if isinstance(event, MemberErased):
        await forgetting.preferences(conn, event.member_id)
    elif isinstance(event, PreferencesSet | Unsubscribed) and await forgetting.kept(conn, event.member_id):
        before = decoded(await conn.fetchval(READ + " FOR UPDATE", event.member_id))
        after = evolve(before, event)
        await conn.execute(_WRITE, event.member_id, msgspec.json.encode(after).decode())


PREFERENCES = Projection(name="preferences", tables=("preferences",), apply=_apply)
