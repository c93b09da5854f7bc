"""Command handlers of the accounts service: thin async glue over the pure domain."""

from __future__ import annotations

from uuid import UUID, uuid4

import asyncpg

from services.accounts import credentials, domain, queries, throttle
from services.accounts.base import AccountsBase
from services.accounts.commands import EndSession, GrantRole, RegisterMember
from services.accounts.credentials import token_hash
from services.accounts.events import SessionEnded, member_stream, session_stream
from services.accounts.mailing import Recipient
from services.accounts.projections import PROJECTIONS
from shared.bus.rpc import CallContext
from shared.contracts.accounts import (
    GrantRoleRequest,
    MemberView,
    RegisterRequest,
    SessionIssued,
    SignInRequest,
    TokenRequest,
)
from shared.contracts.common import Empty
from shared.crypto import blind_index, new_key, seal
from shared.errors import Conflict, FieldError, NotFound, Unauthenticated
from shared.eventstore.store import NO_STREAM, unit_of_work
from shared.handlers import load
from shared.names import pseudonym_key

WRONG_CREDENTIALS = "That e-mail and password don't match an account. Please try again."
_TAKEN = {
    "pseudonym": FieldError(field="pseudonym", message="Someone already uses this pseudonym. Please choose another."),
    "look_alike": FieldError(
        field="pseudonym",
        message="This pseudonym looks just like one someone already uses (some letters look alike in different"
        " alphabets, or 0 and O). Please choose another.",
    ),
}


class AccountsHandlers(AccountsBase):
    projections = PROJECTIONS
    _skeletons_complete = False  # until every earlier member's look-alike skeleton is recorded

    async def register(self, req: RegisterRequest, ctx: CallContext) -> MemberView:
        """Sign up. A taken pseudonym is said (pseudonyms are public); a taken address is not: the
        visitor gets the same answer as for a new one, and the address's owner a note (ADR 28)."""
        name, email = domain.validate_registration(req.pseudonym, req.email, req.password)
        index = blind_index(self._secret, email)
        async with self._pool.acquire() as conn:
            await self._keep_skeletons_of_earlier_members(conn)
            clash = await queries.taken(conn, pseudonym_key(name), index)
            if "pseudonym" not in clash and await credentials.skeleton_taken(conn, name):
                clash.add("look_alike")
        if clash - {"email"}:
            raise _conflict(clash - {"email"})
        password_hash = await self._hash(req.password)  # the same work whether or not the address is taken
        member_id = uuid4()
        if "email" not in clash:
            try:
                await self._create(ctx, member_id, name, email, index, password_hash)
            except asyncpg.UniqueViolationError as exc:  # a concurrent sign-up took it first
                clash = {_clash_of(exc.constraint_name or "")}
                if clash != {"email"}:
                    raise _conflict(clash) from exc
        if "email" in clash:
            await self._tell_the_owner(index)
        return MemberView(member_id=member_id, pseudonym=name, roles=("member",))

    async def _create(
        self, ctx: CallContext, member_id: UUID, name: str, email: str, index: str, password_hash: str
    ) -> None:
        key, now = new_key(), self._clock()
        async with unit_of_work(self._pool) as conn:
            # the key first: the members projection opens the sealed pseudonym with it (a new
            # stream, so its append's order does not depend on being the transaction's first write)
            await self._keys.store(conn, member_id, key)
            cmd = RegisterMember(
                member_id=member_id, pseudonym_sealed=seal(key, name, member_id),
                email_sealed=seal(key, email, member_id), email_index=index, now=now,
            )  # fmt: skip
            events = domain.register(None, cmd)
            await self._append(conn, member_stream(member_id), events, NO_STREAM, ctx, member_id, subject=member_id)
            await credentials.store_password(conn, member_id, password_hash)
            await credentials.reserve_skeleton(conn, member_id, name)
            to = Recipient(
                member_id=member_id, key=key, email=email, email_index=index, confirmed=False, pseudonym=name
            )
            await self._mail.confirmation(conn, to, now)

    async def _tell_the_owner(self, email_index: str) -> None:
        async with unit_of_work(self._pool) as conn:
            owner = await self._recipient_by_index(conn, email_index)
            if owner is not None:
                await self._mail.address_attempt(conn, owner, self._clock(), change=False)

    async def _keep_skeletons_of_earlier_members(self, conn: asyncpg.Connection) -> None:
        """Once per process: members who signed up before skeletons were kept get theirs."""
        if not self._skeletons_complete:
            async with conn.transaction():
                await credentials.reserve_missing_skeletons(conn)
            self._skeletons_complete = True

    async def sign_in(self, req: SignInRequest, ctx: CallContext) -> SessionIssued:
        now = self._clock()
        index = blind_index(self._secret, domain.normalize_email(req.email))
        email_key, client_key = f"email:{index}", f"client:{req.client_ip or 'unknown'}"
        async with self._pool.acquire() as conn:
            await throttle.check(conn, [email_key, client_key], now)
            creds = await credentials.for_email(conn, index)
        # the same argon2 work whether or not the address has an account: the time tells nothing
        matches = await self._verify(creds.password_hash if creds else None, req.password)
        if creds is None or not matches:
            async with self._pool.acquire() as conn:
                await throttle.record_failure(conn, email_key, throttle.FREE_PER_EMAIL, now)
                await throttle.record_failure(conn, client_key, throttle.FREE_PER_CLIENT, now)
            raise Unauthenticated(WRONG_CREDENTIALS)
        async with unit_of_work(self._pool) as conn:
            issued = await self._session_for(conn, creds.member_id, now, ctx)
            await throttle.clear(conn, email_key)
        return issued

    async def sign_out(self, req: TokenRequest, ctx: CallContext) -> Empty:
        async with unit_of_work(self._pool) as conn:
            session_id = await queries.session_for_token(conn, token_hash(req.token))
            if session_id is None:
                return Empty()  # unknown or already gone: signing out is idempotent
            stream = session_stream(session_id)
            version, session = await load(conn, self._store, stream, domain.evolve_session)
            events = domain.end_session(session, EndSession(now=self._clock()))
            if session is not None:
                await self._append(conn, stream, events, version, ctx, session.member_id, subject=session.member_id)
            for e in events:
                if isinstance(e, SessionEnded):
                    await credentials.close_session(conn, e.session_id, e.ended_at)
        return Empty()

    async def session(self, req: TokenRequest, ctx: CallContext) -> MemberView:
        async with self._pool.acquire() as conn:
            member = await queries.member_for_token(conn, token_hash(req.token))
        if member is None:
            raise Unauthenticated("Please sign in to continue.")
        return member

    async def grant_role(self, req: GrantRoleRequest, ctx: CallContext) -> MemberView:
        domain.require_admin(req.roles)  # before anything is looked up
        async with unit_of_work(self._pool) as conn:
            found = await queries.member_by_pseudonym_key(conn, pseudonym_key(req.pseudonym))
            if found is None:
                raise NotFound(f"No member is called {req.pseudonym!r}.")
            stream = member_stream(found.member_id)
            version, member = await load(conn, self._store, stream, domain.evolve_member)
            cmd = GrantRole(
                role=req.role, granted_by=req.actor_id, granter_roles=frozenset(req.roles), now=self._clock()
            )
            events = domain.grant_role(member, cmd)
            await self._append(conn, stream, events, version, ctx, found.member_id, subject=found.member_id)
            return await queries.member_by_pseudonym_key(conn, pseudonym_key(req.pseudonym)) or found


def _conflict(fields: set[str]) -> Conflict:
    errors = tuple(_TAKEN[f] for f in ("pseudonym", "look_alike") if f in fields)
    return Conflict(errors[0].message, errors=errors)


def _clash_of(constraint: str) -> str:
    """Which taken field a unique violation of a concurrent sign-up stands for."""
    if "skeleton" in constraint:
        return "look_alike"
    return "email" if "email" in constraint else "pseudonym"
