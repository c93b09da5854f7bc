"""Preferences with real PostgreSQL and NATS: gentle defaults, a choice kept as events and
rebuilt the same, bad input refused with nothing changed, one-click unsubscribe by a signed link."""

from __future__ import annotations

from uuid import UUID, uuid4

import msgspec
import pytest

from services.notifications import links
from shared.bus.rpc import ServiceClient
from shared.contracts import notification_prefs as p
from shared.contracts import notifications as n
from shared.contracts.common import Acting
from shared.errors import Forbidden, Invalid
from shared.settings import Settings

pytestmark = pytest.mark.integration


async def prefs_of(client: ServiceClient, who: UUID) -> p.Preferences:
    return (await client.ask(n.PREFERENCES, p.PreferencesRequest(), actor=Acting(member_id=who))).preferences


async def choose(client: ServiceClient, who: UUID, prefs: p.Preferences) -> p.Preferences:
    req = p.SetPreferencesRequest(preferences=prefs)
    return (await client.ask(n.SET_PREFERENCES, req, actor=Acting(member_id=who))).preferences


async def test_defaults_then_a_choice_and_bad_input_changes_nothing(client: ServiceClient) -> None:
    who = uuid4()
    prefs = await prefs_of(client, who)
    assert prefs.channels["story_decision"] == "email" and prefs.channels["encouraged"] == "in_app"
    assert prefs.reminder is False
    chosen = msgspec.structs.replace(
        prefs, channels={**prefs.channels, "encouraged": "digest"}, reminder=True, reminder_time="20:15"
    )
    assert (await choose(client, who, chosen)) == chosen
    assert await prefs_of(client, who) == chosen
    for bad in ({"no_such_kind": "email"}, {"story_decision": "off"}):
        with pytest.raises(Invalid):
            await choose(client, who, msgspec.structs.replace(chosen, channels=bad))  # type: ignore[arg-type]
    assert await prefs_of(client, who) == chosen


async def test_unsubscribe_by_a_signed_link_and_a_tampered_one_is_refused(
    client: ServiceClient, settings: Settings
) -> None:
    who = uuid4()
    sig = links.signature(settings.secret_key, who, "story_decision")
    check = p.UnsubscribeRequest(member_id=who, topic="story_decision", signature=sig)
    assert (await client.ask(n.UNSUBSCRIBE, check)).done is False
    assert (await prefs_of(client, who)).channels["story_decision"] == "email"  # looking changes nothing
    for tampered in (
        msgspec.structs.replace(check, topic="invited", confirm=True),
        msgspec.structs.replace(check, member_id=uuid4(), confirm=True),
        msgspec.structs.replace(check, signature=sig[:-2] + "AA", confirm=True),
    ):
        with pytest.raises(Forbidden):
            await client.ask(n.UNSUBSCRIBE, tampered)
    assert (await prefs_of(client, who)).channels["story_decision"] == "email"
    done = await client.ask(n.UNSUBSCRIBE, msgspec.structs.replace(check, confirm=True))
    assert done.done and "moderator" in done.label
    assert (await prefs_of(client, who)).channels["story_decision"] == "in_app"
