"""JSON API of the journal: the same actions as the pages, with a bearer token."""

from __future__ import annotations

from typing import Literal
from uuid import UUID

from litestar import Controller, delete, get, patch, post, put
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_204_NO_CONTENT

from shared.contracts import journal as j
from shared.contracts import supporters as sup
from shared.contracts.accounts import MemberView
from shared.contracts.verbs import A, Q, Verb
from web.api import journal_schemas as s
from web.api.limits import IdempotencyKey, Page
from web.api.openapi import ACT, READ, SECURED, WRITE
from web.auth import Req, api_member, services_of
from web.services import acting


async def _call(request: Req, verb: Verb[Q, A], req: Q) -> A:
    return await api_ask_journal(request, await api_member(request), verb, req)


async def api_ask_journal(request: Req, member: MemberView, verb: Verb[Q, A], req: Q) -> A:
    """The journal service, asked as ``member`` in the time zone the API request names in its
    ``x-timezone`` header (UTC if none); pages ask in the member's saved zone (``pages.calls``)."""
    return await services_of(request).journal(verb, req, acting(member, request.headers.get("x-timezone", "UTC")))


async def _saved(request: Req, verb: Verb[Q, j.Saved], req: Q) -> s.SavedOut:
    return s.out(await _call(request, verb, req), s.SavedOut)


def _fields(body: s.EntryBody) -> j.EntryFields:
    return j.EntryFields(
        kind=body.kind, text=body.text, helped=body.helped, mood=body.mood, themes=tuple(body.themes),
        occurred_on=body.occurred_on, visibility=body.visibility,
    )  # fmt: skip


class JournalApi(Controller):
    path = "/api/journal"
    tags = ["journal"]  # noqa: RUF012 - Litestar declares it as an instance attribute
    security = SECURED

    @get("/", summary="Timeline, newest first (own journal unless journal_id is given)", responses=READ)
    async def timeline(
        self, request: Req, journal_id: FromQuery[UUID | None] = None,
        kind: FromQuery[Literal["", "victory", "setback", "mood"]] = "",
        theme: FromQuery[Literal["", *j.THEMES]] = "",  # type: ignore[valid-type]
        author: FromQuery[Literal["", "me", "others"]] = "", page: Page = 1,
    ) -> s.TimelineOut:  # fmt: skip
        req = j.TimelineRequest(journal_id=journal_id, kind=kind, theme=theme, author=author, page=page)
        view = await _call(request, j.TIMELINE, req)
        return s.out(view, s.TimelineOut)

    @post(
        "/entries", status_code=HTTP_201_CREATED, summary="Record a victory, setback or mood check-in", responses=WRITE
    )
    async def record(self, request: Req, data: JSONBody[s.NewEntryBody], key: IdempotencyKey = None) -> s.SavedOut:
        req = j.RecordRequest(
            journal_id=data.journal_id, entry=_fields(data), entry_id=data.id,
            idempotency_key=key or (f"entry:{data.id}" if data.id else None),
        )  # fmt: skip
        return await _saved(request, j.RECORD, req)

    @get("/entries/{entry_id:uuid}", summary="One entry", responses=READ)
    async def entry(self, request: Req, entry_id: FromPath[UUID]) -> s.EntryOut:
        return s.out(await _call(request, j.ENTRY, j.EntryRequest(entry_id=entry_id)), s.EntryOut)

    @put("/entries/{entry_id:uuid}", summary="Edit an entry (send the version you saw)", responses=WRITE)
    async def edit(self, request: Req, entry_id: FromPath[UUID], data: JSONBody[s.EditBody]) -> s.SavedOut:
        req = j.EditRequest(entry_id=entry_id, expected_version=data.version, entry=_fields(data))
        return await _saved(request, j.EDIT, req)

    @delete(
        "/entries/{entry_id:uuid}", status_code=HTTP_204_NO_CONTENT, summary="Retract an entry (history keeps it)",
        responses=ACT,
    )  # fmt: skip
    async def retract(self, request: Req, entry_id: FromPath[UUID]) -> None:
        await _call(request, j.RETRACT, j.EntryRequest(entry_id=entry_id))

    @post("/entries/{entry_id:uuid}/confirm", summary="Confirm an entry written for you", responses=ACT)
    async def confirm(self, request: Req, entry_id: FromPath[UUID]) -> s.SavedOut:
        return await _saved(request, j.CONFIRM, j.EntryRequest(entry_id=entry_id))

    @post(
        "/entries/{entry_id:uuid}/notes", status_code=HTTP_201_CREATED, summary="Add a note to an entry",
        responses=WRITE,
    )  # fmt: skip
    async def note(
        self, request: Req, entry_id: FromPath[UUID], data: JSONBody[s.TextBody], key: IdempotencyKey = None
    ) -> s.SavedOut:
        return await _saved(request, j.NOTE, j.NoteRequest(entry_id=entry_id, text=data.text, idempotency_key=key))

    @get("/progress", summary="How far you've come", responses=READ)
    async def progress(self, request: Req, journal_id: FromQuery[UUID | None] = None) -> s.ProgressOut:
        view = await _call(request, j.PROGRESS, j.JournalRequest(journal_id=journal_id))
        return s.out(view, s.ProgressOut)

    @get("/export", summary="Everything in your journal", responses=READ)
    async def export(self, request: Req) -> s.ExportOut:
        return s.out(await _call(request, j.EXPORT, j.JournalRequest()), s.ExportOut)

    @get("/supporting", summary="Journals you support or are invited to", responses=READ)
    async def supporting(self, request: Req) -> s.SupportingOut:
        return s.out(await _call(request, sup.SUPPORTING, j.Actor()), s.SupportingOut)

    @get("/next", summary="What waits for you: invitations, a handover step, entries to confirm", responses=READ)
    async def next_steps(self, request: Req) -> s.NextStepsOut:
        return s.out(await _call(request, j.NEXT_STEPS, j.Actor()), s.NextStepsOut)

    @get("/view", summary="Your journal: stage and supporters", responses=READ)
    async def view(self, request: Req, journal_id: FromQuery[UUID | None] = None) -> s.JournalOut:
        return s.out(await _call(request, j.VIEW, j.JournalRequest(journal_id=journal_id)), s.JournalOut)

    @post("/supporters", status_code=HTTP_201_CREATED, summary="Invite a supporter by pseudonym", responses=WRITE)
    async def invite(self, request: Req, data: JSONBody[s.InviteBody], key: IdempotencyKey = None) -> s.SavedOut:
        req = sup.InviteRequest(pseudonym=data.pseudonym, role=data.role, idempotency_key=key)
        return await _saved(request, sup.INVITE, req)

    @patch("/supporters/{supporter_id:uuid}", summary="Change a supporter's role", responses=WRITE)
    async def change_role(self, request: Req, supporter_id: FromPath[UUID], data: JSONBody[s.RoleBody]) -> s.SavedOut:
        return await _saved(request, sup.CHANGE_ROLE, sup.SupporterRequest(supporter_id=supporter_id, role=data.role))

    @delete(
        "/supporters/{supporter_id:uuid}", status_code=HTTP_204_NO_CONTENT, summary="Remove a supporter", responses=ACT
    )
    async def remove(
        self, request: Req, supporter_id: FromPath[UUID], journal_id: FromQuery[UUID | None] = None
    ) -> None:
        req = sup.SupporterRequest(supporter_id=supporter_id, journal_id=journal_id)
        await _call(request, sup.REMOVE_SUPPORTER, req)

    @post("/invitations/{journal_id:uuid}", summary="Accept or decline an invitation", responses=WRITE)
    async def respond(self, request: Req, journal_id: FromPath[UUID], data: JSONBody[s.AcceptBody]) -> s.SavedOut:
        return await _saved(request, sup.RESPOND, sup.RespondRequest(journal_id=journal_id, accept=data.accept))

    @post("/stage", summary="Propose a handover stage", responses=WRITE)
    async def propose(self, request: Req, data: JSONBody[s.StageBody]) -> s.SavedOut:
        return await _saved(request, sup.PROPOSE_STAGE, sup.StageRequest(journal_id=data.journal_id, stage=data.stage))

    @post("/stage/accept", status_code=HTTP_200_OK, summary="Accept the proposed handover stage", responses=ACT)
    async def accept(self, request: Req) -> s.SavedOut:
        return await _saved(request, sup.ACCEPT_STAGE, j.JournalRequest())

    @post(
        "/stage/decline",
        status_code=HTTP_200_OK,
        summary="Decline the proposed handover stage (nothing changes)",
        responses=ACT,
    )
    async def decline(self, request: Req) -> s.SavedOut:
        return await _saved(request, sup.DECLINE_STAGE, j.JournalRequest())

    @post(
        "/start-for", status_code=HTTP_201_CREATED, summary="Start a journal for someone who has not joined yet",
        responses=WRITE,
    )  # fmt: skip
    async def start_for(
        self, request: Req, data: JSONBody[s.StartForBody], key: IdempotencyKey = None
    ) -> s.StartedForOut:
        req = sup.StartForRequest(for_name=data.for_name, idempotency_key=key)
        started = await _call(request, sup.START_FOR, req)
        return s.out(started, s.StartedForOut)

    @post("/claim", summary="Take over the journal kept for you", responses=WRITE)
    async def claim(self, request: Req, data: JSONBody[s.ClaimBody]) -> s.SavedOut:
        return await _saved(request, sup.CLAIM, sup.ClaimRequest(code=data.code))

    @get("/observations", summary="Observations on your journal", responses=READ)
    async def observations(self, request: Req, journal_id: FromQuery[UUID | None] = None) -> s.ObservationsOut:
        view = await _call(request, j.OBSERVATIONS, j.JournalRequest(journal_id=journal_id))
        return s.out(view, s.ObservationsOut)

    @post(
        "/observations", status_code=HTTP_201_CREATED, summary="Point out progress the member might not see",
        responses=WRITE,
    )  # fmt: skip
    async def observe(self, request: Req, data: JSONBody[s.ObservationBody], key: IdempotencyKey = None) -> s.SavedOut:
        req = j.ObserveRequest(journal_id=data.journal_id, text=data.text, idempotency_key=key)
        return await _saved(request, j.OBSERVE, req)

    @post(
        "/observations/{observation_id:uuid}",
        summary="Keep private, accept into your record, or dismiss",
        responses=WRITE,
    )
    async def resolve(self, request: Req, observation_id: FromPath[UUID], data: JSONBody[s.ResolveBody]) -> s.SavedOut:
        req = j.ResolveRequest(observation_id=observation_id, resolution=data.resolution)
        return await _saved(request, j.RESOLVE_OBSERVATION, req)
