"""Command handlers of the journal: load -> screen -> decide -> append, with text sealed by the domain
through the journal's key. Rules (ids, hashing, days, who may do what) live in the domain."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Callable, Sequence
from typing import TypeVar
from uuid import UUID, uuid4

import asyncpg
import msgspec

from services.journal import erased, sealing
from services.journal.commands import EditEntry, EntryInput, RecordEntry
from services.journal.domain import entry as entries
from services.journal.domain import journal as journals
from services.journal.domain import observation as observations
from services.journal.domain.common import Seal
from services.journal.domain.entry import today_in
from services.journal.domain.journal import code_hash, own_journal_id
from services.journal.events import entry_stream, journal_stream, observation_stream
from services.journal.projections import PROJECTIONS
from services.journal.queries import lookups
from shared.bus.rpc import CallContext
from shared.contracts import journal as c
from shared.contracts import supporters as sup
from shared.crypto import new_key, open_sealed, seal
from shared.erasure import is_erased
from shared.errors import Conflict, FieldError, Invalid, NotFound
from shared.eventstore.store import NO_STREAM, unit_of_work
from shared.handlers import CommandHandlers, load
from shared.messages import Event
from shared.safety import screen

R = TypeVar("R")


class _Started(msgspec.Struct, frozen=True, kw_only=True):
    journal_id: UUID
    sealed_code: str


def _fields(entry: c.EntryFields) -> EntryInput:
    return EntryInput(
        kind=entry.kind, text=entry.text.strip(), helped=entry.helped.strip(), mood=entry.mood,
        themes=entry.themes, occurred_on=entry.occurred_on, visibility=entry.visibility,
    )  # fmt: skip


async def _screened(journal: journals.Journal | None, actor: UUID, *texts: str) -> bool:
    """Crisis screening of what a person writes, before the decision, as in stories: whether the
    writer is shown the crisis message. Supporters' words are read as about the member (ADR 12)."""
    return await asyncio.to_thread(screen, *texts, by_supporter=journals.by_supporter(journal, actor))


class JournalHandlers(CommandHandlers):
    projections = PROJECTIONS

    async def _journal(self, conn: asyncpg.Connection, journal_id: UUID) -> tuple[int, journals.Journal | None]:
        """The journal as it stands after erasures: none once erased, without its erased supporters."""
        version, journal = await load(conn, self._store, journal_stream(journal_id), journals.evolve_journal)
        if journal is None:
            return version, None
        gone = await erased.among(conn, [journal_id, journal.owner_id, *journal.supporters])
        return version, journals.without(journal, set(gone))

    async def _journal_or_own(
        self, conn: asyncpg.Connection, req: c.Actor, journal_id: UUID | None, ctx: CallContext
    ) -> tuple[journals.Journal, bytes, int]:
        """The journal addressed, or the actor's own, started on its first write (in the caller's
        transaction, so that a refused command leaves no empty journal behind). Returns its version."""
        if await is_erased(conn, sealing.S, req.actor_id):
            raise NotFound("We couldn't find that journal.")
        jid = journal_id or await lookups.journal_of(conn, req.actor_id) or own_journal_id(req.actor_id)
        version, journal = await self._journal(conn, jid)
        if journal is None and journal_id is None:
            started = journals.start_own(jid, req.actor_id, self._clock())
            await self._append(conn, journal_stream(jid), started, NO_STREAM, ctx, req.actor_id, req.actor_id)
            key = new_key()
            await self._keys.store(conn, jid, key)
            return journals.evolve_journal(None, started[0]), key, len(started)
        if journal is None:
            raise NotFound("We couldn't find that journal.")
        return journal, await self._keys.get(conn, jid), version

    # --- entries ---------------------------------------------------------------------------

    async def record(self, req: c.RecordRequest, ctx: CallContext) -> c.Saved:
        now, fields = self._clock(), _fields(req.entry)

        async def work(conn: asyncpg.Connection) -> c.Saved:
            journal, key, _ = await self._journal_or_own(conn, req, req.journal_id, ctx)
            crisis = await _screened(journal, req.actor_id, fields.text, fields.helped)
            cmd = RecordEntry(
                entry_id=req.entry_id or uuid4(), actor_id=req.actor_id, entry=fields, today=today_in(req.tz, now),
                now=now,
            )  # fmt: skip
            events = entries.record(journal, cmd, sealing.sealer(key, journal.journal_id))
            await self._append(conn, entry_stream(cmd.entry_id), events, NO_STREAM, ctx, req.actor_id, journal.owner_id)
            return c.Saved(id=cmd.entry_id, crisis=crisis)

        return await self._once(req, c.Saved, work)

    async def edit(self, req: c.EditRequest, ctx: CallContext) -> c.Saved:
        """The edit carries the entry's version the person saw: a stale one is a conflict."""
        now, fields = self._clock(), _fields(req.entry)
        async with unit_of_work(self._pool) as conn:
            journal, entry, key = await self._entry(conn, req.entry_id)
            crisis = await _screened(journal, req.actor_id, fields.text, fields.helped)
            cmd = EditEntry(actor_id=req.actor_id, entry=fields, today=today_in(req.tz, now), now=now)
            events = entries.edit(journal, entry, cmd, sealing.sealer(key, entry.journal_id if entry else req.entry_id))
            owner = journal.owner_id if journal else None
            await self._append(conn, entry_stream(req.entry_id), events, req.expected_version, ctx, req.actor_id, owner)
        return c.Saved(id=req.entry_id, crisis=crisis)

    async def _entry(
        self, conn: asyncpg.Connection, entry_id: UUID
    ) -> tuple[journals.Journal | None, entries.Entry | None, bytes]:
        _, entry = await load(conn, self._store, entry_stream(entry_id), entries.evolve_entry)
        if entry is None:
            return None, None, b""
        _, journal = await self._journal(conn, entry.journal_id)
        if journal is None:  # erased with its owner
            return None, None, b""
        return journal, entry, await self._keys.get(conn, entry.journal_id)

    async def _twice(self, conn: asyncpg.Connection, key: bytes, journal_id: UUID, author: UUID) -> Seal:
        """Seals a note or an observation (ADR 35); nothing is made for a journal the author cannot reach."""
        if not key:
            return sealing.sealer(key, journal_id)  # the domain refuses before it seals anything
        return sealing.twice(key, journal_id, await sealing.author_key(conn, author), author)

    async def retract(self, req: c.EntryRequest, ctx: CallContext) -> c.Saved:
        return await self._entry_act(req, ctx, lambda j, e: entries.retract(j, e, req.actor_id, self._clock()))

    async def confirm(self, req: c.EntryRequest, ctx: CallContext) -> c.Saved:
        return await self._entry_act(req, ctx, lambda j, e: entries.confirm(j, e, req.actor_id, self._clock()))

    async def _entry_act(
        self,
        req: c.EntryRequest,
        ctx: CallContext,
        decide: Callable[[journals.Journal | None, entries.Entry | None], Sequence[Event]],
    ) -> c.Saved:
        async with unit_of_work(self._pool) as conn:
            stream = entry_stream(req.entry_id)
            version, entry = await load(conn, self._store, stream, entries.evolve_entry)
            journal = (await self._journal(conn, entry.journal_id))[1] if entry else None
            events = decide(journal, entry)
            await self._append(conn, stream, events, version, ctx, req.actor_id, journal.owner_id if journal else None)
        return c.Saved(id=req.entry_id)

    async def note(self, req: c.NoteRequest, ctx: CallContext) -> c.Saved:
        async def work(conn: asyncpg.Connection) -> c.Saved:
            note_id = uuid4()
            journal, entry, key = await self._entry(conn, req.entry_id)
            crisis = await _screened(journal, req.actor_id, req.text)
            sealer = await self._twice(conn, key, entry.journal_id if entry else req.entry_id, req.actor_id)
            events = entries.add_note(journal, entry, req.actor_id, note_id, req.text, sealer, self._clock())
            await self._append(
                conn, f"note-{note_id}", events, NO_STREAM, ctx, req.actor_id, journal.owner_id if journal else None
            )
            return c.Saved(id=note_id, crisis=crisis)

        return await self._once(req, c.Saved, work)

    # --- observations ----------------------------------------------------------------------

    async def observe(self, req: c.ObserveRequest, ctx: CallContext) -> c.Saved:
        async def work(conn: asyncpg.Connection) -> c.Saved:
            observation_id = uuid4()
            _, journal = await self._journal(conn, req.journal_id)
            key = await self._keys.get(conn, req.journal_id) if journal else b""
            crisis = await _screened(journal, req.actor_id, req.text)
            sealer = await self._twice(conn, key, req.journal_id, req.actor_id)
            events = observations.observe(journal, req.actor_id, observation_id, req.text, sealer, self._clock())
            owner = journal.owner_id if journal else None
            await self._append(conn, observation_stream(observation_id), events, NO_STREAM, ctx, req.actor_id, owner)
            return c.Saved(id=observation_id, crisis=crisis)

        return await self._once(req, c.Saved, work)

    async def resolve(self, req: c.ResolveRequest, ctx: CallContext) -> c.Saved:
        async with unit_of_work(self._pool) as conn:
            stream = observation_stream(req.observation_id)
            version, observation = await load(conn, self._store, stream, observations.evolve_observation)
            if observation is not None and await is_erased(conn, sealing.S, observation.author_id):
                observation = None  # it went with its author
            journal = (await self._journal(conn, observation.journal_id))[1] if observation else None
            record = ""
            if observation and journal and journal.owner_id == req.actor_id and req.resolution == "accepted":
                record = await sealing.record_of(conn, observation)
            events = observations.resolve(
                journal, observation, req.actor_id, req.resolution, self._clock(), lambda _o: record
            )
            await self._append(conn, stream, events, version, ctx, req.actor_id, req.actor_id)
        return c.Saved(id=req.observation_id)

    # --- supporters and handover -----------------------------------------------------------

    async def _journal_act(
        self,
        req: c.Actor,
        journal_id: UUID | None,
        ctx: CallContext,
        decide: Callable[[journals.Journal | None], Sequence[Event]],
    ) -> c.Saved:
        async with unit_of_work(self._pool) as conn:
            jid = journal_id or await lookups.journal_of(conn, req.actor_id) or own_journal_id(req.actor_id)
            version, journal = await self._journal(conn, jid)
            events = decide(journal)
            await self._append(
                conn, journal_stream(jid), events, version, ctx, req.actor_id, journal.owner_id if journal else None
            )
        return c.Saved(id=jid)

    async def invite(self, req: sup.InviteRequest, ctx: CallContext) -> c.Saved:
        async def work(conn: asyncpg.Connection) -> c.Saved:
            person = await lookups.person_by_pseudonym(conn, req.pseudonym)
            if person is None:
                message = (
                    f"We couldn't find anyone called {req.pseudonym.strip()!r}. Check the spelling of their pseudonym."
                )
                raise Invalid(
                    message,
                    errors=(FieldError(field="pseudonym", message="We couldn't find anyone with that pseudonym."),),
                )
            journal, _, version = await self._journal_or_own(conn, req, None, ctx)  # may invite before writing
            events = journals.invite(journal, req.actor_id, person.member_id, person.pseudonym, req.role, self._clock())
            await self._append(
                conn, journal_stream(journal.journal_id), events, version, ctx, req.actor_id, req.actor_id
            )
            return c.Saved(id=journal.journal_id)

        return await self._once(req, c.Saved, work)

    async def respond(self, req: sup.RespondRequest, ctx: CallContext) -> c.Saved:
        return await self._journal_act(
            req, req.journal_id, ctx, lambda j: journals.respond(j, req.actor_id, req.accept, self._clock())
        )

    async def change_role(self, req: sup.SupporterRequest, ctx: CallContext) -> c.Saved:
        return await self._journal_act(
            req,
            req.journal_id,
            ctx,
            lambda j: journals.change_role(j, req.actor_id, req.supporter_id, req.role, self._clock()),
        )

    async def remove_supporter(self, req: sup.SupporterRequest, ctx: CallContext) -> c.Saved:
        return await self._journal_act(
            req, req.journal_id, ctx, lambda j: journals.remove(j, req.actor_id, req.supporter_id, self._clock())
        )

    async def propose_stage(self, req: sup.StageRequest, ctx: CallContext) -> c.Saved:
        return await self._journal_act(
            req, req.journal_id, ctx, lambda j: journals.propose_stage(j, req.actor_id, req.stage, self._clock())
        )

    async def accept_stage(self, req: c.JournalRequest, ctx: CallContext) -> c.Saved:
        return await self._journal_act(req, None, ctx, lambda j: journals.accept_stage(j, req.actor_id, self._clock()))

    async def decline_stage(self, req: c.JournalRequest, ctx: CallContext) -> c.Saved:
        return await self._journal_act(req, None, ctx, lambda j: journals.decline_stage(j, req.actor_id, self._clock()))

    async def start_for(self, req: sup.StartForRequest, ctx: CallContext) -> sup.StartedFor:
        """The claim code is a secret: the reply kept for a repeat holds it sealed with the new
        journal's key, never in plain form."""

        async def work(conn: asyncpg.Connection) -> _Started:
            journal_id, code, key = uuid4(), secrets.token_urlsafe(18), new_key()
            events = journals.start_for(
                journal_id, req.for_name, req.actor_id, code_hash(code), self._clock(), sealing.sealer(key, journal_id)
            )
            await self._append(conn, journal_stream(journal_id), events, NO_STREAM, ctx, req.actor_id)
            await self._keys.store(conn, journal_id, key)
            return _Started(journal_id=journal_id, sealed_code=seal(key, code, journal_id))

        started = await self._once(req, _Started, work)
        async with self._pool.acquire() as conn:
            key = await self._keys.get(conn, started.journal_id)
        return sup.StartedFor(
            journal_id=started.journal_id, claim_code=open_sealed(key, started.sealed_code, started.journal_id)
        )

    async def claim(self, req: sup.ClaimRequest, ctx: CallContext) -> c.Saved:
        async with self._pool.acquire() as conn:
            journal_id = await lookups.journal_for_code(conn, code_hash(req.code))
            if journal_id is not None and await lookups.owns_journal(conn, req.actor_id):
                raise Conflict("You already have a journal. Ask a supporter to invite you to theirs instead.")
        if journal_id is None:
            raise NotFound("This invitation link is no longer valid. Ask the person who sent it for a new one.")
        return await self._journal_act(req, journal_id, ctx, lambda j: journals.claim(j, req.actor_id, self._clock()))
