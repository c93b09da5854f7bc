"""The demo's peer feed: a few dozen stories across themes (some with content warnings), replies
and encouragement, one story in each moderation state, and a moderator to work the queue."""

from __future__ import annotations

import random
from typing import Any, TypeVar

import msgspec

from shared.bus.rpc import ServiceClient
from shared.contracts import moderation as mc
from shared.contracts import stories as s
from shared.contracts.accounts import GrantRoleRequest, MemberView
from shared.contracts.common import Acting
from smallwins.servers import operator

T = TypeVar("T")
AUTHORS = ("Ana", "Bo", "Cy", "Dee", "Eli", "Fay", "Gus", "Hal")
NEWCOMERS = ("Ivy", "Jon", "Kit", "Lee")  # new members: their posts are reviewed first
FEED_PEOPLE = ("Mo", *AUTHORS, *NEWCOMERS)  # Mo moderates
OPENINGS = [
    (
        "The morning I opened the curtains",
        "For weeks the curtains stayed shut. On Tuesday I opened them before coffee.",
    ),
    ("Three calls I didn't want to make", "I wrote the numbers on a sticky note and called one a day."),
    ("Back at the peer group", "I sat in the car for ten minutes, then walked in anyway."),
    ("A walk around the block", "It was only ten minutes, but it was the first time in a month."),
    ("Telling my sister", "I finally told her how I was really doing. She listened."),
    ("Cooking again", "I made soup from scratch. The kitchen smelled like home."),
    ("Saying no", "I turned down an extra shift without apologising five times."),
    ("The first therapy session", "I almost cancelled twice. I went, and I'm going back next week."),
]
MIDDLES = [
    "There was a bad week in between, and I didn't pretend there wasn't.",
    "Some days it felt like nothing was changing. Writing the small wins down showed me it was.",
    "My journal says I had four good days out of seven. A month ago it was one.",
    "What helped: a glass of water first thing, and texting instead of going silent.",
]
ENDINGS = [
    "If you're in the middle of it: small counts.",
    "It isn't a straight line, and that's all right.",
    "I'm proud of this one, so I'm sharing it.",
]
HEAVY = [  # stories about the past, told with a content warning
    (
        "A year since the worst night",
        "A year ago I was in hospital after trying to take my life. Today I went to my friend's wedding and danced.",
        ("suicide",),
    ),
    (
        "Six months without hurting myself",
        "I used to hurt myself when it got loud in my head. Six months now, with the help of my group.",
        ("self-harm",),
    ),
    (
        "Eating with my family",
        "After years of anorexia I ate dinner with my family and stayed at the table.",
        ("eating-disorder",),
    ),
    (
        "Two years sober",
        "Two years sober this week. The first month was the hardest thing I've done.",
        ("substance-use",),
    ),
    (
        "Missing Dad, still going",
        "Dad died in spring. Grief comes in waves, and I still got up for work today.",
        ("grief",),
    ),
]
REPLIES = [
    "This helped me today. Thank you.",
    "So proud of you.",
    "Me too. Small counts.",
    "Thank you for sharing this.",
]


class _Feed:
    def __init__(self, client: ServiceClient) -> None:
        self.client = client
        self.people: dict[str, MemberView] = {}  # the demo's name -> the member (whatever pseudonym they got)
        self.rng = random.Random(7)  # noqa: S311 - repeatable demo data, not security

    async def call(
        self, who: str, verb: str, request_type: type[msgspec.Struct], response: type[T], **fields: Any
    ) -> T:
        member = self.people[who]
        actor = Acting(member_id=member.member_id, pseudonym=member.pseudonym, roles=member.roles)
        return await self.client.call(s.SERVICE, verb, msgspec.convert(fields, request_type), response, actor=actor)

    async def story(
        self, who: str, title: str, body: str, themes: tuple[str, ...], warnings: tuple[str, ...] = ()
    ) -> s.Posted:
        story = {"title": title, "body": body, "themes": themes, "warnings": warnings}
        return await self.call(who, "submit", s.SubmitRequest, s.Posted, story=story)

    async def decide(self, item: Any, action: str = "approve", reason: str = "", guidance: str = "") -> None:
        fields = {"item_id": item, "action": action, "reason": reason, "guidance": guidance}
        await self.call("Mo", "moderate", mc.ModerateRequest, s.Done, **fields)


async def seed_feed(client: ServiceClient, robin: MemberView, people: dict[str, MemberView]) -> None:
    """Add the demo feed, written by the demo members already registered (``people``)."""
    feed = _Feed(client)
    feed.people = {"Robin": robin, **people}
    grant = GrantRoleRequest(pseudonym=people["Mo"].pseudonym, role="moderator")
    feed.people["Mo"] = await client.call("accounts", "grant_role", grant, MemberView, actor=operator())
    published = await _published(feed)
    await _conversation(feed, published)
    await _every_state(feed)


async def _published(feed: _Feed) -> list[Any]:
    themes = list(s.THEMES)
    ids = []
    for n in range(32):
        title, opening = OPENINGS[n % len(OPENINGS)]
        body = "\n\n".join((opening, feed.rng.choice(MIDDLES), feed.rng.choice(ENDINGS)))
        chosen = tuple(feed.rng.sample(themes, 2))
        posted = await feed.story(AUTHORS[n % len(AUTHORS)], title if n < 8 else f"{title}, again", body, chosen)
        await feed.decide(posted.id)
        ids.append(posted.id)
    for n, (title, body, warnings) in enumerate(HEAVY):
        posted = await feed.story(AUTHORS[n], title, body, ("setbacks", "small-wins"), warnings)
        await feed.decide(posted.id)
        ids.append(posted.id)
    return ids


async def _conversation(feed: _Feed, published: list[Any]) -> None:
    for n, story in enumerate(published[-12:]):
        reader = AUTHORS[(n + 3) % len(AUTHORS)]
        for kind in feed.rng.sample(list(s.CHEERS), feed.rng.randint(1, 3)):
            await feed.call(reader, "encourage", s.EncourageRequest, s.Done, story_id=story, kind=kind)
        if n % 2 == 0:
            reply = await feed.call(
                reader, "reply", s.ReplyRequest, s.Posted, story_id=story, body=REPLIES[n % len(REPLIES)]
            )
            await feed.decide(reply.id)
    robins = await feed.story("Robin", "From a hard day to small wins", "Sam kept my journal when I couldn't. Now I keep it myself, with Enzo cheering me on.", ("support-system", "small-wins"))  # fmt: skip
    await feed.decide(robins.id)
    for reader, kind in (("Ana", "proud"), ("Bo", "helped"), ("Cy", "me-too")):
        await feed.call(reader, "encourage", s.EncourageRequest, s.Done, story_id=robins.id, kind=kind)
    await feed.call("Dee", "reply", s.ReplyRequest, s.Posted, story_id=robins.id, body="This gives me hope.")


async def _every_state(feed: _Feed) -> None:
    """One story in each moderation state, for the moderator and the authors to see."""
    await feed.story("Robin", "Waiting to be read", "A story still waiting for a moderator.", ("peer-support",))
    asked = await feed.story(
        "Robin", "My first month", "It was hard. Some of it was about my worst night.", ("setbacks",)
    )
    await feed.decide(
        asked.id, "request_changes", "missing-warning", "Please add the suicide warning so readers can choose."
    )
    rejected = await feed.story("Ivy", "Buy my course", "Visit my shop for a recovery course.", ("learning",))
    await feed.decide(rejected.id, "reject", "spam", "Stories are about your own recovery, not offers.")
    removed = await feed.story("Jon", "Too much detail", "A story that described methods in detail.", ("setbacks",))
    await feed.decide(removed.id, "approve")
    await feed.decide(removed.id, "remove", "harmful-detail", "Please tell it without the details of how.")
    await feed.call("Jon", "appeal", s.AppealRequest, s.Done, item_id=removed.id, statement="I took the details out.")
    withdrawn = await feed.story("Kit", "Not ready yet", "I wrote this too soon.", ("acceptance",))
    await feed.call("Kit", "withdraw", s.ItemRequest, s.Done, item_id=withdrawn.id)
    await feed.story("Lee", "Tonight", "I don't think I can go on. I've been saving my pills.", ("setbacks",))
