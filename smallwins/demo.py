"""`smallwins demo`: a living journal for a newcomer to look at.

Robin's journal was started by Sam, who kept it for a month and handed it over in stages;
Enzo encourages with notes and an observation. About three months of entries, with dips.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import random
from typing import Any, TypeVar
from uuid import UUID

import msgspec

from shared.bus.rpc import ServiceClient
from shared.contracts import journal as j
from shared.contracts import supporters as sup
from shared.contracts.accounts import MemberView, RegisterRequest, SessionIssued, SignInRequest
from shared.contracts.common import Acting
from shared.errors import Conflict, Invalid, Unauthenticated, Unavailable
from smallwins.demo_stories import FEED_PEOPLE, seed_feed

T = TypeVar("T")
PASSWORD = "small wins demo"  # noqa: S105 - printed to the operator; demo accounts only
PEOPLE = {"robin": "Robin", "sam": "Sam", "enzo": "Enzo"}
VICTORIES = [
    ("Got out of bed and showered", ("healthy-habits", "small-wins")),
    ("Called the therapist to book a session", ("seeking-help",)),
    ("Went for a ten-minute walk", ("healthy-habits",)),
    ("Told a friend how I was really doing", ("support-system", "overcoming-stigma")),
    ("Cooked a proper meal", ("healthy-habits", "self-worth")),
    ("Answered three e-mails I had been avoiding", ("small-wins",)),
    ("Read a chapter of a book", ("learning", "purpose")),
    ("Went to the peer group", ("peer-support", "support-system")),
    ("Said no to something without feeling guilty", ("self-worth", "acceptance")),
]
SETBACKS = [
    ("Stayed in bed most of the day", "Opening the curtains, a glass of water"),
    ("Cancelled plans again", "Texting them instead of going silent"),
    ("A bad night, thoughts racing", "Writing them down, then the breathing exercise"),
]


DOMAIN = "demo.small-wins.invalid"


class Seeded(msgspec.Struct, frozen=True, kw_only=True):
    """What `smallwins demo` tells the operator: how to sign in, and which demo members go by
    another name because someone on this system already uses theirs."""

    logins: dict[str, str]  # e-mail -> password
    renamed: dict[str, str]  # the demo's name -> the free pseudonym it got
    added: bool  # False: the demo was there already, nothing changed


def demo_email(name: str) -> str:
    return f"{name.lower()}@{DOMAIN}"


def _pseudonyms(name: str) -> list[str]:
    """The demo's name for someone, then free-looking variants for when it is taken."""
    return [name, f"{name} Demo", *(f"{name} Demo {n}" for n in range(2, 10))]


async def join(client: ServiceClient, name: str, password: str, renamed: dict[str, str]) -> MemberView:
    """Register a demo member under their name, or the first free variant of it."""
    for pseudonym in _pseudonyms(name):
        try:
            request = RegisterRequest(pseudonym=pseudonym, email=demo_email(name), password=password)
            view = await client.call("accounts", "register", request, MemberView)
        except Conflict as exc:
            if any(e.field == "email" for e in exc.errors):
                raise DemoBlocked(f"{demo_email(name)} already has an account that is not the demo's.") from exc
            continue  # the pseudonym is taken here: try the next
        if pseudonym != name:
            renamed[name] = pseudonym
        return view
    raise DemoBlocked(f"Every pseudonym the demo tried for {name} is taken.")


async def demo_there(client: ServiceClient, names: list[str]) -> bool:
    """Whether the demo was added before: its first member signs in with the demo password (then
    all must). Refuses, changing nothing, when only part of the demo is there."""

    async def signs_in(name: str) -> bool:
        try:
            request = SignInRequest(email=demo_email(name), password=PASSWORD)
            await client.call("accounts", "sign_in", request, SessionIssued)
        except Unauthenticated:
            return False
        return True

    if not await signs_in(names[0]):
        return False
    missing = [demo_email(n) for n in names[1:] if not await signs_in(n)]
    if missing:
        raise DemoBlocked(f"only part of the demo is here ({', '.join(missing)} missing); nothing was changed.")
    return True


class DemoBlocked(Exception):
    """The demo cannot be added here; the message says exactly why. Nothing was changed."""


class _Demo:
    def __init__(self, client: ServiceClient, today: dt.date) -> None:
        self.client, self.today = client, today
        self.ids: dict[str, str] = {}
        self.names: dict[str, str] = {}  # key -> the pseudonym they have here
        self.rng = random.Random(2026)  # noqa: S311 - repeatable demo data, not security

    async def journal(
        self, who: str, verb: str, request_type: type[msgspec.Struct], response: type[T], **fields: Any
    ) -> T:
        actor = Acting(member_id=UUID(self.ids[who]), pseudonym=self.names[who])
        return await self.client.call("journal", verb, msgspec.convert(fields, request_type), response, actor=actor)

    async def entry(self, who: str, journal_id: Any, day: int, **fields: Any) -> j.Saved:
        on = (self.today - dt.timedelta(days=day)).isoformat()
        return await self.journal(
            who, "record", j.RecordRequest, j.Saved, journal_id=journal_id, entry={"occurred_on": on, **fields}
        )

    def victory(self) -> dict[str, Any]:
        text, themes = self.rng.choice(VICTORIES)
        return {"kind": "victory", "text": text, "themes": themes, "visibility": "supporters"}


async def seed(client: ServiceClient, today: dt.date | None = None) -> Seeded:
    """Create the demo people, Robin's journal and the story feed; or, when the demo is there
    already, change nothing. Either way, say how to sign in."""
    demo = _Demo(client, today or dt.datetime.now(dt.UTC).date())
    names = [*PEOPLE.values(), *FEED_PEOPLE]
    logins = {demo_email(name): PASSWORD for name in names}
    if await demo_there(client, names):
        return Seeded(logins=logins, renamed={}, added=False)
    renamed: dict[str, str] = {}
    for key, name in PEOPLE.items():
        view = await join(client, name, PASSWORD, renamed)
        demo.ids[key], demo.names[key] = str(view.member_id), view.pseudonym
    feed_people = {name: await join(client, name, PASSWORD, renamed) for name in FEED_PEOPLE}
    started = await demo.journal("sam", "start_for", sup.StartForRequest, sup.StartedFor, for_name="Robin")
    jid = started.journal_id
    for day in range(90, 62, -2):  # Sam keeps the journal for the first month
        await demo.entry("sam", jid, day, **demo.victory())
        if day % 6 == 0:
            await demo.entry("sam", jid, day, kind="mood", mood=demo.rng.choice([1, 2, 2, 3]), visibility="supporters")
    await demo.journal("sam", "propose_stage", sup.StageRequest, j.Saved, journal_id=jid, stage="kept_together")
    await demo.journal("robin", "claim", sup.ClaimRequest, j.Saved, code=started.claim_code)
    await demo.journal("robin", "accept_stage", j.JournalRequest, j.Saved)
    for day in range(60, 0, -1):
        await _robin_day(demo, jid, day)
    await demo.journal("robin", "propose_stage", sup.StageRequest, j.Saved, stage="member_keeps")
    await _invite_when_known(demo, demo.names["enzo"])
    await demo.journal("enzo", "respond", sup.RespondRequest, j.Saved, journal_id=jid, accept=True)
    await _encourage(demo, jid)
    robin = MemberView(member_id=UUID(demo.ids["robin"]), pseudonym=demo.names["robin"], roles=("member",))
    await seed_feed(client, robin, feed_people)
    return Seeded(logins=logins, renamed=renamed, added=True)


async def _robin_day(demo: _Demo, jid: Any, day: int) -> None:
    trend = 2.2 + (60 - day) / 30  # slowly up, with dips
    if day % 2 == 0:
        dip = 1.5 if day in (41, 40, 22, 21) else 0
        mood = max(1, min(5, round(trend + demo.rng.uniform(-0.8, 0.8) - dip)))
        await demo.entry("robin", jid, day, kind="mood", mood=mood, visibility="supporters")
    if day in (42, 23, 9):
        text, helped = demo.rng.choice(SETBACKS)
        await demo.entry(
            "robin", jid, day, kind="setback", text=text, helped=helped, themes=("setbacks",), visibility="supporters"
        )
    elif demo.rng.random() < 0.45:
        await demo.entry("robin", jid, day, **demo.victory())


async def _invite_when_known(demo: _Demo, name: str) -> None:
    """The journal learns pseudonyms from accounts' events, a moment after sign-up."""
    for _ in range(100):
        try:
            await demo.journal("robin", "invite", sup.InviteRequest, j.Saved, pseudonym=name, role="encourager")
            return
        except Invalid:
            await asyncio.sleep(0.1)
    raise Unavailable(f"The journal service has not heard of {name} yet; try `smallwins demo` again.")


async def _encourage(demo: _Demo, jid: Any) -> None:
    view = await demo.journal("enzo", "timeline", j.TimelineRequest, j.TimelineView, journal_id=jid)
    victories = [i.entry for i in view.items if i.entry and i.entry.kind == "victory"][:3]
    for entry, note in zip(victories, ["So proud of you!", "That's a big one.", "Me too, some days."], strict=False):
        await demo.journal("enzo", "note", j.NoteRequest, j.Saved, entry_id=entry.entry_id, text=note)
    await demo.journal(
        "enzo",
        "observe",
        j.ObserveRequest,
        j.Saved,
        journal_id=jid,
        text="I noticed you went out three times this week.",
    )
