"""Live pages' side of the inbox: every change is followed, in its transaction, by a published,
content-free ``inbox_changed`` at a position that only grows, and ``changes`` answers what changed
after a position as the member asks it (from now for a position not reached, and for -1)."""

from __future__ import annotations

from uuid import UUID

import msgspec
import nats
import pytest
from nats.aio.msg import Msg

from shared.bus.rpc import ServiceClient
from shared.bus.streams import event_subject
from shared.contracts import notifications as n
from shared.contracts import stories as s
from shared.contracts.common import Acting
from shared.settings import Settings
from shared.testing.plugin import eventually
from tests.integration.notifications.test_inbox import published_story
from tests.support.people import register
from tests.support.stories import Teller

pytestmark = pytest.mark.integration


async def changes(client: ServiceClient, who: UUID, after: int = -1) -> n.ChangesView:
    return await client.ask(n.CHANGES, n.ChangesRequest(after=after), actor=Acting(member_id=who))


async def test_each_change_is_announced_at_a_growing_position_and_changes_tells_what_came_after(
    client: ServiceClient, settings: Settings
) -> None:
    db = settings.database_url or ""
    heard: list[n.InboxChangedSeen] = []

    async def arrived(msg: Msg) -> None:
        envelope = msgspec.json.decode(msg.data)
        assert set(envelope["data"]) == {"type", "member_id", "position", "unread"}  # content-free
        heard.append(msgspec.convert(envelope["data"], n.InboxChangedSeen))

    nc = await nats.connect(settings.servers()[1])
    await nc.subscribe(event_subject(settings.nats_prefix, n.SERVICE, n.INBOX_CHANGED), cb=arrived)
    try:
        ana = Teller(client, "Ana", member_id=(await register(client, "Ana", db)).id)
        story = await published_story(client, ana)
        approved = await eventually(lambda: _at(client, ana.id, unread=2))  # welcome, approved
        bo = await register(client, "Bo", db)
        await Teller(client, "Bo", member_id=bo.id).call("encourage", s.Done, story_id=story, kind="proud")
        cheered = await eventually(lambda: _at(client, ana.id, unread=3))

        since = await changes(client, ana.id, approved.position)
        assert [i.title for i in since.items] == ["Bo is proud of your story"]
        assert since.position == cheered.position > approved.position
        assert (await changes(client, ana.id, cheered.position)).items == ()
        for later in (cheered.position + 1, n.POSITION_MAX, -1):  # from now
            assert await changes(client, ana.id, later) == n.ChangesView(position=cheered.position, unread=3)
        assert (await changes(client, bo.id, approved.position)).items == ()  # nobody else's items
        everything = await changes(client, ana.id, 0)
        assert {i.kind for i in everything.items} == {"welcome", "approved", "encouraged"}

        await client.ask(n.MARK_ALL_READ, n.ReadAllRequest(), actor=Acting(member_id=ana.id))
        read = await changes(client, ana.id, cheered.position)
        assert read.unread == 0 and read.position > cheered.position and read.items == ()

        async def all_heard() -> bool:
            return any(h.member_id == ana.id and h.position == read.position and h.unread == 0 for h in heard)

        await eventually(all_heard)
        mine = [h.position for h in heard if h.member_id == ana.id]
        assert mine == sorted(set(mine))  # published once each, in order
    finally:
        await nc.close()


async def _at(client: ServiceClient, who: UUID, *, unread: int) -> n.ChangesView | None:
    view = await changes(client, who)
    return view if view.unread == unread else None
