"""Preferences per kind: every inbox kind belongs to one kind a person recognises, the gentle
defaults, events from before kinds (topics) fold as their kinds, and unsubscribe links name kinds."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

import msgspec
import pytest

from services.notifications import links
from services.notifications.domain import preferences as prefs
from services.notifications.events import REGISTRY, PreferencesSet, Unsubscribed
from shared.contracts import notification_prefs as p
from shared.errors import Invalid

pytestmark = pytest.mark.unit
NOW = dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC)
ME = UUID(int=7)
INBOX_KINDS = (
    "approved", "rejected", "changes_requested", "removed", "appeal_decided", "reached_out", "encouraged", "replied",
    "reply_to_reply", "invited", "supporter_joined", "supporter_left", "handover_proposed", "handover_accepted",
    "handover_declined", "stage_moved", "entry_for_you", "note", "observation",
)  # fmt: skip


def test_every_inbox_kind_has_a_kind_and_every_kind_a_label_and_one_heading() -> None:
    assert set(prefs.KIND_OF) == set(INBOX_KINDS)
    assert set(prefs.KIND_OF.values()) == set(p.KINDS) == set(p.KIND_LABELS)
    grouped = [kind for _heading, kinds in p.KIND_GROUPS for kind in kinds]
    assert sorted(grouped) == sorted(p.KINDS)
    assert prefs.KIND_OF["rejected"] == prefs.KIND_OF["removed"] == "removed"
    assert {prefs.KIND_OF[k] for k in ("note", "observation")} == {"notes"}
    assert {prefs.KIND_OF[k] for k in INBOX_KINDS if k.startswith("handover") or k == "stage_moved"} == {"handover"}
    assert all(kind in p.KINDS for kinds in p.TOPICS_BEFORE_KINDS.values() for kind in kinds)


def test_gentle_defaults_and_decisions_about_your_writing_never_off() -> None:
    d = prefs.DEFAULTS
    email = {k for k, c in d.channels.items() if c == "email"}
    assert email == {"approved", "changes_requested", "removed", "appeal_decided", "reached_out", "invited"}
    assert {c for k, c in d.channels.items() if k not in email} == {"in_app"}
    assert d.reminder is False
    assert prefs.channel_for(d, "welcome") == "in_app"
    assert prefs.channel_for(d, "rejected") == "email"
    for kind in p.ALWAYS_TOLD:
        off = msgspec.structs.replace(d, channels={kind: "off"})
        with pytest.raises(Invalid, match="always hear"):
            prefs.choose(None, ME, off, NOW)


def test_an_unknown_kind_is_refused_by_name_and_an_old_topic_says_what_it_became() -> None:
    with pytest.raises(Invalid, match="“sparkles”"):
        prefs.choose(None, ME, msgspec.structs.replace(prefs.DEFAULTS, channels={"sparkles": "email"}), NOW)
    with pytest.raises(Invalid, match="supporter_joined, supporter_left"):
        prefs.choose(None, ME, msgspec.structs.replace(prefs.DEFAULTS, channels={"supporters": "email"}), NOW)
    chosen = msgspec.structs.replace(prefs.DEFAULTS, channels={"reply_to_reply": "digest"})
    (event,) = prefs.choose(None, ME, chosen, NOW)
    folded = prefs.evolve(None, event)
    assert prefs.channel_for(folded, "reply_to_reply") == "digest" and prefs.channel_for(folded, "replied") == "in_app"
    assert prefs.choose(folded, ME, chosen, NOW) == []  # the same again records nothing


def _old(tag: str, **data: object) -> PreferencesSet | Unsubscribed:
    event = REGISTRY.decode(tag, msgspec.json.encode({"member_id": str(ME), **data}))
    assert isinstance(event, PreferencesSet | Unsubscribed)
    return event


def test_events_that_named_topics_fold_as_their_kinds() -> None:
    chose = _old(
        "notifications.preferences_set.v1",
        channels={"story_decision": "digest", "supporters": "email", "replied": "digest", "notes": "off"},
        quiet_hours=False, quiet_start="22:00", quiet_end="08:00", digest_hour=7, reminder=True,
        reminder_time="19:00", set_at=NOW.isoformat(),
    )  # fmt: skip
    state = prefs.evolve(None, chose)
    for kind in ("approved", "changes_requested", "removed", "appeal_decided", "replied", "reply_to_reply"):
        assert state.channels[kind] == "digest", kind
    assert state.channels["supporter_joined"] == state.channels["supporter_left"] == "email"
    assert state.channels["notes"] == "off" and state.channels["encouraged"] == "in_app"
    assert "story_decision" not in state.channels and "supporters" not in state.channels
    stopped = prefs.evolve(state, _old("notifications.unsubscribed.v1", topic="supporters", unsubscribed_at=str(NOW)))
    assert stopped.channels["supporter_joined"] == stopped.channels["supporter_left"] == "in_app"
    no_digest = prefs.evolve(stopped, _old("notifications.unsubscribed.v1", topic="digest", unsubscribed_at=str(NOW)))
    assert "digest" not in no_digest.channels.values() and no_digest.reminder is True
    quiet = prefs.evolve(no_digest, _old("notifications.unsubscribed.v1", topic="reminder", unsubscribed_at=str(NOW)))
    assert quiet.reminder is False
    (now_kinds,) = prefs.choose(quiet, ME, msgspec.structs.replace(quiet, channels={"supporter_left": "off"}), NOW)
    after = prefs.evolve(quiet, now_kinds)  # a choice made today, on top of the old ones
    assert after.channels["supporter_left"] == "off" and after.channels["supporter_joined"] == "in_app"


def test_unsubscribe_links_name_kinds_and_old_links_their_topic() -> None:
    secret = "s3cret"
    sig = links.signature(secret, ME, "replied")
    assert links.signed_in_era(secret, ME, "replied", sig) == "kinds"
    old = links.signature(secret, ME, "replied", "topics")
    assert links.signed_in_era(secret, ME, "replied", old) == "topics"
    assert links.signed_in_era(secret, ME, "encouraged", sig) is None
    assert links.signed_in_era(secret, UUID(int=8), "replied", sig) is None
    assert prefs.stops_of("replied") == ("replied",)
    assert prefs.stops_of("replied", before_kinds=True) == ("replied", "reply_to_reply")
    assert prefs.stops_of("story_decision", before_kinds=True) == p.TOPICS_BEFORE_KINDS["story_decision"]
    assert prefs.stops_of("digest,approved") == ("digest", "approved")
    for bad in ("", "story_decision", "approved,approved", "approved,nonsense", "digest,"):
        with pytest.raises(Invalid):
            prefs.stops_of(bad)
    assert prefs.stopping_label(("replied",)) == "E-mails about: replies to your story"
    assert prefs.stopping_label(("digest", "approved")) == (
        "The daily e-mail, and e-mails about: approval of your story or reply"
    )
    (event,) = prefs.unsubscribe(None, ME, ("approved", "reached_out"), NOW)
    state = prefs.evolve(None, event)
    assert state.channels["approved"] == state.channels["reached_out"] == "in_app"
    assert state.channels["removed"] == "email"
    assert prefs.unsubscribe(state, ME, ("approved",), NOW) == []  # off already: nothing to record


def test_a_waiting_email_read_first_unwanted_held_folded_or_sent() -> None:
    from services.notifications.domain.timing import item_mail

    def verdict(**changed: object) -> str:
        given: dict[str, object] = {"read": False, "wanted": True, "quiet": False, "sent_today": 0, "cap": 2}
        return item_mail(**{**given, **changed})  # type: ignore[arg-type]

    assert verdict() == "send"
    assert verdict(read=True, quiet=True, sent_today=5) == "read"  # read in the app: never mailed
    assert verdict(wanted=False) == "not wanted"  # the member chose otherwise meanwhile
    assert verdict(quiet=True, sent_today=5) == "held"  # quiet hours first: the count is of that day
    assert verdict(sent_today=2) == "folded"  # kept back for the next digest, never dropped
