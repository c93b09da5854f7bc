"""A member's export of their stories part: their stories with every version they wrote (from the
log, where each version is kept sealed with their key), their replies, the encouragement they gave,
the reports they made, moderators' messages to them and their content-warning choices."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

import asyncpg

from services.stories.events import REGISTRY, StoryRevised, StorySubmitted, post_stream
from services.stories.queries.common import S
from shared.contracts import stories_export as x
from shared.contracts.stories import PreferencesView
from shared.crypto import Opener, unwrap
from shared.messages import tag_of

_VERSIONS = (tag_of(StorySubmitted), tag_of(StoryRevised))


class _Sealed:
    """Opens what the member sealed; with no key (they never wrote anything) there is nothing to open."""

    def __init__(self, key: bytes | None, member: UUID) -> None:
        self._opener = Opener(unwrap(key, member), member) if key is not None else None

    def __call__(self, token: str) -> str:
        return self._opener.open(token) if token and self._opener else ""


async def export(conn: asyncpg.Connection, member: UUID) -> x.StoriesExport:
    key = await conn.fetchval(f"SELECT key FROM {S}.member_keys WHERE member_id = $1", member)
    opened = _Sealed(bytes(key) if key is not None else None, member)
    posts = await conn.fetch(f"SELECT * FROM {S}.posts WHERE author_id = $1 ORDER BY submitted_at, item_id", member)
    stories = [p for p in posts if p["kind"] == "story"]
    versions = await _versions(conn, [p["item_id"] for p in stories], opened)
    return x.StoriesExport(
        stories=tuple(_story(p, versions.get(p["item_id"], ()), opened) for p in stories),
        replies=tuple(_reply(p, opened) for p in posts if p["kind"] == "reply"),
        encouragement=tuple(
            x.EncouragementExport(story_id=r["story_id"], kind=r["kind"], given_at=r["encouraged_at"])
            for r in await conn.fetch(
                f"SELECT story_id, kind, encouraged_at FROM {S}.encouragements WHERE reader_id = $1"
                " ORDER BY encouraged_at NULLS FIRST, story_id, kind",
                member,
            )
        ),
        reports=tuple(
            x.ReportExport(item_id=r["item_id"], reason=r["reason"], note=opened(r["note"]), reported_at=r["reported_at"])
            for r in await conn.fetch(
                f"SELECT item_id, reason, note, reported_at FROM {S}.reports WHERE reporter_id = $1 ORDER BY reported_at",
                member,
            )
        ),
        messages=tuple(
            x.MessageExport(id=r["message_id"], item_id=r["item_id"], body=opened(r["body"]), sent_at=r["sent_at"])
            for r in await conn.fetch(
                f"SELECT message_id, item_id, body, sent_at FROM {S}.messages WHERE member_id = $1 ORDER BY sent_at",
                member,
            )
        ),
        warnings=await _warnings(conn, member),
    )  # fmt: skip


async def _versions(
    conn: asyncpg.Connection, stories: Sequence[UUID], opened: _Sealed
) -> dict[UUID, tuple[x.StoryVersion, ...]]:
    rows = await conn.fetch(
        f"SELECT event_type, data::text AS data FROM {S}.events WHERE stream_id = ANY($1::text[])"
        " AND event_type = ANY($2::text[]) ORDER BY stream_id, stream_version",
        [post_stream(s) for s in stories], list(_VERSIONS),
    )  # fmt: skip
    found: dict[UUID, list[x.StoryVersion]] = {}
    for row in rows:
        e = REGISTRY.decode(row["event_type"], row["data"])
        if not isinstance(e, StorySubmitted | StoryRevised):  # what the query selects
            continue
        written = e.submitted_at if isinstance(e, StorySubmitted) else e.revised_at
        earlier = found.setdefault(e.item_id, [])
        earlier.append(x.StoryVersion(
            version=len(earlier) + 1, title=opened(e.title), body=opened(e.body), themes=e.themes,
            warnings=e.warnings, written_at=written,
        ))  # fmt: skip
    return {k: tuple(v) for k, v in found.items()}


def _decision(p: asyncpg.Record, opened: _Sealed) -> x.Decision:
    return x.Decision(
        reason=p["reason"], guidance=p["guidance"], appeal=opened(p["appeal_statement"]), appeal_note=p["appeal_note"]
    )


def _story(p: asyncpg.Record, versions: tuple[x.StoryVersion, ...], opened: _Sealed) -> x.StoryExport:
    return x.StoryExport(
        id=p["item_id"], status=p["status"], themes=tuple(p["themes"]), warnings=tuple(p["warnings"]),
        submitted_at=p["submitted_at"], published_at=p["published_at"], decision=_decision(p, opened),
        versions=versions,
    )  # fmt: skip


def _reply(p: asyncpg.Record, opened: _Sealed) -> x.ReplyExport:
    return x.ReplyExport(
        id=p["item_id"], story_id=p["story_id"], body=opened(p["body"]), status=p["status"],
        submitted_at=p["submitted_at"], published_at=p["published_at"], decision=_decision(p, opened),
    )  # fmt: skip


async def _warnings(conn: asyncpg.Connection, member: UUID) -> PreferencesView:
    row = await conn.fetchrow(f"SELECT hide, blur FROM {S}.readers WHERE member_id = $1", member)
    return PreferencesView(hide=tuple(row["hide"]), blur=tuple(row["blur"]), chosen=True) if row else PreferencesView()
