"""Command handlers of the stories service: load -> fold -> decide -> append, text sealed last."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable, Sequence
from typing import TypeVar
from uuid import UUID, uuid4

import asyncpg

from services.stories import cheers, crisis, domain, forgetting, moderation, queries, replies, trust
from services.stories.commands import Moderate, ReviseStory, Screened, StoryText, SubmitReply, SubmitStory, Who
from services.stories.events import cheer_stream, post_stream, reader_stream, template_stream
from services.stories.projections import PROJECTIONS
from shared.bus.rpc import CallContext
from shared.contracts import moderation as mc
from shared.contracts import stories as c
from shared.crypto import KeyErased, new_key, seal
from shared.errors import Forbidden
from shared.eventstore.store import ANY, NO_STREAM, EventStore, unit_of_work, utcnow
from shared.handlers import CommandHandlers, load
from shared.messages import Event
from shared.safety import describe, find_personal_details, screen_text
from shared.settings import Settings

R = TypeVar("R")


def who(req: c.Actor) -> Who:
    return Who(actor_id=req.actor_id, roles=frozenset(req.roles))


def screened(fields: dict[str, str], chosen: Sequence[str] = ()) -> tuple[Screened, tuple[str, ...]]:
    """What screening finds in these fields, and the content warnings it suggests adding."""
    result = screen_text(*fields.values())
    personal = {f: describe(found) for f, text in fields.items() if (found := find_personal_details(text))}
    suggested = tuple(w for w in result.warnings if w not in chosen)
    flags = (*result.reasons, *(f"suggests warning: {w}" for w in suggested))
    return Screened(urgent=result.urgent, overruled=result.overruled, flags=flags, personal=personal), suggested


def story_text(fields: c.StoryFields) -> tuple[StoryText, Screened, tuple[str, ...]]:
    """The story as the domain takes it, with what screening found and the warnings it suggests."""
    text = StoryText(title=fields.title, body=fields.body, themes=fields.themes, warnings=fields.warnings)
    found, suggested = screened({"title": text.title, "body": text.body}, text.warnings)
    return text, found, suggested


class StoriesHandlers(CommandHandlers):
    projections = PROJECTIONS

    def __init__(
        self, pool: asyncpg.Pool, store: EventStore, settings: Settings, clock: Callable[[], dt.datetime] = utcnow
    ) -> None:
        super().__init__(pool, store, clock)
        self._settings = settings

    async def _post(self, conn: asyncpg.Connection, item_id: UUID) -> tuple[int, domain.Post | None]:
        """The post, or None once its author has left (as good as missing: nothing more happens to it)."""
        version, post = await load(conn, self._store, post_stream(item_id), domain.evolve)
        return version, post if post is None or await forgetting.kept(conn, post.author_id) else None

    @staticmethod
    async def _here(conn: asyncpg.Connection, member: UUID) -> None:
        """A member who left Small Wins does nothing more here (their sessions ended with the erasure)."""
        if not await forgetting.kept(conn, member):
            raise Forbidden("This account has been erased.")

    async def _sealer(self, conn: asyncpg.Connection, author: UUID) -> domain.Seal:
        """Seals with the author's key, made on their first post (never again once they have left)."""
        await self._here(conn, author)
        try:
            key = await self._keys.get(conn, author)
        except KeyErased:
            key = new_key()
            await self._keys.store(conn, author, key)
        return lambda text: seal(key, text, author)

    async def _trusted(self, conn: asyncpg.Connection, member: UUID) -> bool:
        return trust.trusted(await queries.standing(conn, member), self._settings.stories_trust_after)

    # --- writing ---------------------------------------------------------------------------

    async def submit(self, req: c.SubmitRequest, ctx: CallContext) -> c.Posted:
        text, found, suggested = await asyncio.to_thread(story_text, req.story)

        async def work(conn: asyncpg.Connection) -> c.Posted:
            trusted = await self._trusted(conn, req.actor_id)
            cmd = SubmitStory(
                item_id=req.story_id or uuid4(), author=who(req), pseudonym=req.actor_name, text=text,
                trusted=trusted, screened=found, now=self._clock(),
            )  # fmt: skip
            events = domain.submit_story(cmd, await self._sealer(conn, req.actor_id))
            await self._append(conn, post_stream(cmd.item_id), events, NO_STREAM, ctx, req.actor_id)
            status = domain.status_after(None, events)
            return c.Posted(id=cmd.item_id, status=status, crisis=found.urgent, suggested_warnings=suggested)

        return await self._once(req, c.Posted, work)

    async def revise(self, req: c.ReviseRequest, ctx: CallContext) -> c.Posted:
        text, found, suggested = await asyncio.to_thread(story_text, req.story)
        async with unit_of_work(self._pool) as conn:
            version, post = await self._post(conn, req.story_id)
            cmd = ReviseStory(
                author=who(req), text=text, screened=found, now=self._clock(), expected_version=req.expected_version
            )
            events = domain.revise_story(post, cmd, await self._sealer(conn, req.actor_id))
            await self._append(conn, post_stream(req.story_id), events, version, ctx, req.actor_id)
        status = domain.status_after(post, events)
        return c.Posted(id=req.story_id, status=status, crisis=found.urgent, suggested_warnings=suggested)

    async def reply(self, req: c.ReplyRequest, ctx: CallContext) -> c.Posted:
        found, _ = await asyncio.to_thread(screened, {"body": req.body})

        async def work(conn: asyncpg.Connection) -> c.Posted:
            _, story = await self._post(conn, req.story_id)
            _, parent = await self._post(conn, req.in_reply_to) if req.in_reply_to else (0, None)
            trusted = await self._trusted(conn, req.actor_id)
            cmd = SubmitReply(
                item_id=req.reply_id or uuid4(), author=who(req), pseudonym=req.actor_name, body=req.body,
                trusted=trusted, screened=found, now=self._clock(), in_reply_to=req.in_reply_to,
            )  # fmt: skip
            events = replies.submit_reply(story, cmd, await self._sealer(conn, req.actor_id), parent)
            await self._append(conn, post_stream(cmd.item_id), events, NO_STREAM, ctx, req.actor_id)
            return c.Posted(id=cmd.item_id, status=domain.status_after(None, events), crisis=found.urgent)

        return await self._once(req, c.Posted, work)

    async def _act(
        self, req: c.Actor, item_id: UUID, ctx: CallContext,
        decide: Callable[[domain.Post | None, Who, dt.datetime], Sequence[Event]],
    ) -> c.Done:  # fmt: skip
        async with unit_of_work(self._pool) as conn:
            version, post = await self._post(conn, item_id)
            events = decide(post, who(req), self._clock())
            await self._append(conn, post_stream(item_id), events, version, ctx, req.actor_id)
        return c.Done(id=item_id)

    async def withdraw(self, req: c.ItemRequest, ctx: CallContext) -> c.Done:
        return await self._act(req, req.item_id, ctx, domain.withdraw)

    async def hide_reply(self, req: c.ItemRequest, ctx: CallContext) -> c.Done:
        return await self._act(req, req.item_id, ctx, replies.hide_reply)

    async def appeal(self, req: c.AppealRequest, ctx: CallContext) -> c.Done:
        async def work(conn: asyncpg.Connection) -> c.Done:
            version, post = await self._post(conn, req.item_id)
            events = domain.appeal(post, who(req), req.statement, self._clock(), await self._sealer(conn, req.actor_id))
            await self._append(conn, post_stream(req.item_id), events, version, ctx, req.actor_id)
            return c.Done(id=req.item_id)

        return await self._once(req, c.Done, work)

    # --- moderation ------------------------------------------------------------------------

    async def claim(self, req: c.ItemRequest, ctx: CallContext) -> c.Done:
        ttl = dt.timedelta(minutes=self._settings.stories_claim_minutes)
        return await self._act(req, req.item_id, ctx, lambda p, w, now: moderation.claim(p, w, now, ttl))

    async def moderate(self, req: mc.ModerateRequest, ctx: CallContext) -> c.Done:
        def decide(post: domain.Post | None, w: Who, now: dt.datetime) -> Sequence[Event]:
            cmd = Moderate(moderator=w, action=req.action, reason=req.reason, guidance=req.guidance, now=now)
            return moderation.moderate(post, cmd)

        return await self._act(req, req.item_id, ctx, decide)

    async def decide_appeal(self, req: mc.DecideAppealRequest, ctx: CallContext) -> c.Done:
        return await self._act(
            req, req.item_id, ctx, lambda p, w, now: moderation.decide_appeal(p, w, req.upheld, req.note, now)
        )

    async def release(self, req: c.ItemRequest, ctx: CallContext) -> c.Done:
        return await self._act(req, req.item_id, ctx, moderation.release)

    async def hold(self, req: c.ItemRequest, ctx: CallContext) -> c.Done:
        return await self._act(req, req.item_id, ctx, crisis.hold)

    async def reach_out(self, req: mc.ReachOutRequest, ctx: CallContext) -> c.Done:
        async def work(conn: asyncpg.Connection) -> c.Done:
            version, post = await self._post(conn, req.item_id)
            _, saved = await load(conn, self._store, template_stream(req.template_id), crisis.evolve_template)
            cmd = crisis.ReachOut(
                moderator=who(req), message_id=uuid4(), template=crisis.template_or_default(saved, req.template_id),
                personal=req.personal, now=self._clock(),
            )  # fmt: skip
            writer = post.author_id if post else req.actor_id  # sealed for the writer, who alone reads it
            events = crisis.reach_out(post, cmd, await self._sealer(conn, writer))
            await self._append(conn, post_stream(req.item_id), events, version, ctx, req.actor_id)
            return c.Done(id=req.item_id)

        return await self._once(req, c.Done, work)

    async def save_template(self, req: mc.TemplateRequest, ctx: CallContext) -> mc.TemplateView:
        events = crisis.save_template(who(req), req.template_id, req.name, req.body, self._clock())
        async with unit_of_work(self._pool) as conn:
            await self._append(conn, template_stream(req.template_id), events, ANY, ctx, req.actor_id)
        saved = events[0]
        return mc.TemplateView(id=saved.template_id, name=saved.name, body=saved.body)

    async def report(self, req: c.ReportRequest, ctx: CallContext) -> c.Reported:
        found, _ = await asyncio.to_thread(screened, {"note": req.note}) if req.note.strip() else (Screened(), ())

        async def work(conn: asyncpg.Connection) -> c.Reported:
            version, post = await self._post(conn, req.item_id)
            now = self._clock()
            cmd = moderation.Report(
                reporter=who(req), reason=req.reason, note=req.note, personal=found.personal.get("note", ""),
                weight=trust.report_weight(await queries.standing(conn, req.actor_id), now),
                threshold=self._settings.stories_hide_weight, now=now,
            )  # fmt: skip
            events = moderation.report(post, cmd, await self._sealer(conn, req.actor_id))
            await self._append(conn, post_stream(req.item_id), events, version, ctx, req.actor_id)
            return c.Reported(id=req.item_id, crisis=found.urgent)

        return await self._once(req, c.Reported, work)

    # --- encouragement and reading preferences ----------------------------------------------

    async def encourage(self, req: c.EncourageRequest, ctx: CallContext) -> c.Done:
        async with unit_of_work(self._pool) as conn:
            await self._here(conn, req.actor_id)
            _, story = await self._post(conn, req.story_id)
            stream = cheer_stream(req.story_id, req.actor_id)
            version, sent = await load(conn, self._store, stream, cheers.evolve)
            events = cheers.encourage(story, sent, who(req), req.kind, self._clock())
            await self._append(conn, stream, events, version if sent else NO_STREAM, ctx, req.actor_id)
        return c.Done(id=req.story_id)

    async def take_back(self, req: c.EncourageRequest, ctx: CallContext) -> c.Done:
        async with unit_of_work(self._pool) as conn:
            stream = cheer_stream(req.story_id, req.actor_id)
            version, sent = await load(conn, self._store, stream, cheers.evolve)
            events = cheers.take_back(req.story_id, sent, who(req), req.kind, self._clock())
            await self._append(conn, stream, events, version, ctx, req.actor_id)
        return c.Done(id=req.story_id)

    async def set_preferences(self, req: c.PreferencesRequest, ctx: CallContext) -> c.PreferencesView:
        event = cheers.set_warnings(who(req), req.hide, req.blur, self._clock())
        async with unit_of_work(self._pool) as conn:
            await self._here(conn, req.actor_id)
            await self._append(conn, reader_stream(req.actor_id), [event], ANY, ctx, req.actor_id)
        return c.PreferencesView(hide=event.hide, blur=event.blur)
