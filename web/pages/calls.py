"""How a page asks a service: who is reading, and one typed call per service.

A page builds the wire request with its type's constructor (``j.NoteRequest(entry_id=...,
text=...)``) and hands it over with the verb; ``Verb[Q, A]`` ties the two, so mypy refuses a
misspelled field, a misspelled verb, or a request of the wrong type for the verb. What the
request's limits refuse comes back from the service as an ``Invalid`` naming the field.
"""

from __future__ import annotations

from shared.contracts.accounts import MemberView
from shared.contracts.verbs import A, Q, Verb
from shared.errors import Unauthenticated
from web.auth import Req, page_member, services_of
from web.services import acting


async def signed_in(request: Req) -> MemberView:
    """The signed-in member; a visitor is asked to sign in."""
    member = await page_member(request)
    if member is None:
        raise Unauthenticated("Please sign in to continue.")
    return member


async def reader(request: Req) -> MemberView | None:
    """The signed-in member, or None (the stories service says whether visitors may read)."""
    return await page_member(request)


async def ask_journal(request: Req, member: MemberView, verb: Verb[Q, A], req: Q) -> A:
    """Ask the journal ``verb`` for ``member``, in the time zone their browser told us."""
    return await services_of(request).journal(
        verb, req, acting(member, member.time_zone or request.cookies.get("tz", "UTC"))
    )


async def ask_stories(request: Req, member: MemberView | None, verb: Verb[Q, A], req: Q) -> A:
    """Ask the stories service ``verb`` for ``member``, or as a visitor when there is none."""
    return await services_of(request).stories(verb, req, acting(member) if member else None)
