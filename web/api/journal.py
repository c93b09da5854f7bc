"""JSON API of the journal: the same actions as the pages, with a bearer token."""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar
from uuid import UUID

import msgspec
from litestar import Controller, delete, get, patch, post, put
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT

from shared.contracts import journal as j
from web.auth import Req, api_member, services_of

T = TypeVar("T")


class EntryBody(msgspec.Struct, frozen=True, kw_only=True):
    kind: str
    text: str = ""
    helped: str = ""
    mood: int | None = None
    themes: list[str] = []
    occurred_on: dt.date | None = None
    visibility: str = "private"
    journal_id: UUID | None = None


class EditBody(EntryBody, frozen=True, kw_only=True):
    version: int


class TextBody(msgspec.Struct, frozen=True, kw_only=True):
    text: str


class ObservationBody(TextBody, frozen=True, kw_only=True):
    journal_id: UUID


class InviteBody(msgspec.Struct, frozen=True, kw_only=True):
    pseudonym: str
    role: str


class RoleBody(msgspec.Struct, frozen=True, kw_only=True):
    role: str


class AcceptBody(msgspec.Struct, frozen=True, kw_only=True):
    accept: bool


class StageBody(msgspec.Struct, frozen=True, kw_only=True):
    stage: str
    journal_id: UUID | None = None


class StartForBody(msgspec.Struct, frozen=True, kw_only=True):
    for_name: str


class ClaimBody(msgspec.Struct, frozen=True, kw_only=True):
    code: str


class ResolveBody(msgspec.Struct, frozen=True, kw_only=True):
    resolution: str


async def _call(request: Req, verb: str, request_type: type[msgspec.Struct], response: type[T], /, **fields: Any) -> T:
    member = await api_member(request)
    actor = {
        "actor_id": member.member_id,
        "actor_name": member.pseudonym,
        "tz": request.headers.get("x-timezone", "UTC")[:64],
    }
    req = msgspec.convert({**actor, **fields}, request_type)
    return await services_of(request).journal(verb, req, response)


def _fields(body: EntryBody) -> j.EntryFields:
    return j.EntryFields(
        kind=body.kind, text=body.text, helped=body.helped, mood=body.mood, themes=tuple(body.themes),
        occurred_on=body.occurred_on, visibility=body.visibility,
    )  # fmt: skip


class JournalApi(Controller):
    path = "/api/journal"
    tags = ["journal"]  # noqa: RUF012 - Litestar declares it as an instance attribute

    @get("/", summary="Timeline, newest first (own journal unless journal_id is given)")
    async def timeline(
        self, request: Req, journal_id: FromQuery[UUID | None] = None, kind: FromQuery[str] = "", theme: FromQuery[str] = "",
        author: FromQuery[str] = "", page: FromQuery[int] = 1,
    ) -> j.TimelineView:  # fmt: skip
        return await _call(
            request,
            "timeline",
            j.TimelineRequest,
            j.TimelineView,
            journal_id=journal_id,
            kind=kind,
            theme=theme,
            author=author,
            page=page,
        )

    @post("/entries", status_code=HTTP_201_CREATED, summary="Record a victory, setback or mood check-in")
    async def record(self, request: Req, data: JSONBody[EntryBody]) -> j.Saved:
        return await _call(request, "record", j.RecordRequest, j.Saved, journal_id=data.journal_id, entry=_fields(data))

    @get("/entries/{entry_id:uuid}", summary="One entry")
    async def entry(self, request: Req, entry_id: FromPath[UUID]) -> j.EntryView:
        return await _call(request, "entry", j.EntryRequest, j.EntryView, entry_id=entry_id)

    @put("/entries/{entry_id:uuid}", summary="Edit an entry (send the version you saw)")
    async def edit(self, request: Req, entry_id: FromPath[UUID], data: JSONBody[EditBody]) -> j.Saved:
        return await _call(
            request,
            "edit",
            j.EditRequest,
            j.Saved,
            entry_id=entry_id,
            expected_version=data.version,
            entry=_fields(data),
        )

    @delete("/entries/{entry_id:uuid}", status_code=HTTP_204_NO_CONTENT, summary="Retract an entry (history keeps it)")
    async def retract(self, request: Req, entry_id: FromPath[UUID]) -> None:
        await _call(request, "retract", j.EntryRequest, j.Saved, entry_id=entry_id)

    @post("/entries/{entry_id:uuid}/confirm", summary="Confirm an entry written for you")
    async def confirm(self, request: Req, entry_id: FromPath[UUID]) -> j.Saved:
        return await _call(request, "confirm", j.EntryRequest, j.Saved, entry_id=entry_id)

    @post("/entries/{entry_id:uuid}/notes", status_code=HTTP_201_CREATED, summary="Add a note to an entry")
    async def note(self, request: Req, entry_id: FromPath[UUID], data: JSONBody[TextBody]) -> j.Saved:
        return await _call(request, "note", j.NoteRequest, j.Saved, entry_id=entry_id, text=data.text)

    @get("/progress", summary="How far you've come")
    async def progress(self, request: Req, journal_id: FromQuery[UUID | None] = None) -> j.ProgressView:
        return await _call(request, "progress", j.JournalRequest, j.ProgressView, journal_id=journal_id)

    @get("/export", summary="Everything in your journal")
    async def export(self, request: Req) -> j.ExportView:
        return await _call(request, "export", j.JournalRequest, j.ExportView)

    @get("/supporting", summary="Journals you support or are invited to")
    async def supporting(self, request: Req) -> j.SupportingView:
        return await _call(request, "supporting", j.Actor, j.SupportingView)

    @get("/view", summary="Your journal: stage and supporters")
    async def view(self, request: Req, journal_id: FromQuery[UUID | None] = None) -> j.JournalView:
        return await _call(request, "view", j.JournalRequest, j.JournalView, journal_id=journal_id)

    @post("/supporters", status_code=HTTP_201_CREATED, summary="Invite a supporter by pseudonym")
    async def invite(self, request: Req, data: JSONBody[InviteBody]) -> j.Saved:
        return await _call(request, "invite", j.InviteRequest, j.Saved, pseudonym=data.pseudonym, role=data.role)

    @patch("/supporters/{supporter_id:uuid}", summary="Change a supporter's role")
    async def change_role(self, request: Req, supporter_id: FromPath[UUID], data: JSONBody[RoleBody]) -> j.Saved:
        return await _call(
            request, "change_role", j.SupporterRequest, j.Saved, supporter_id=supporter_id, role=data.role
        )

    @delete("/supporters/{supporter_id:uuid}", status_code=HTTP_204_NO_CONTENT, summary="Remove a supporter")
    async def remove(
        self, request: Req, supporter_id: FromPath[UUID], journal_id: FromQuery[UUID | None] = None
    ) -> None:
        await _call(
            request, "remove_supporter", j.SupporterRequest, j.Saved, supporter_id=supporter_id, journal_id=journal_id
        )

    @post("/invitations/{journal_id:uuid}", summary="Accept or decline an invitation")
    async def respond(self, request: Req, journal_id: FromPath[UUID], data: JSONBody[AcceptBody]) -> j.Saved:
        return await _call(request, "respond", j.RespondRequest, j.Saved, journal_id=journal_id, accept=data.accept)

    @post("/stage", summary="Propose a handover stage")
    async def propose(self, request: Req, data: JSONBody[StageBody]) -> j.Saved:
        return await _call(
            request, "propose_stage", j.StageRequest, j.Saved, journal_id=data.journal_id, stage=data.stage
        )

    @post("/stage/accept", summary="Accept the proposed handover stage")
    async def accept(self, request: Req) -> j.Saved:
        return await _call(request, "accept_stage", j.JournalRequest, j.Saved)

    @post("/start-for", status_code=HTTP_201_CREATED, summary="Start a journal for someone who has not joined yet")
    async def start_for(self, request: Req, data: JSONBody[StartForBody]) -> j.StartedFor:
        return await _call(request, "start_for", j.StartForRequest, j.StartedFor, for_name=data.for_name)

    @post("/claim", summary="Take over the journal kept for you")
    async def claim(self, request: Req, data: JSONBody[ClaimBody]) -> j.Saved:
        return await _call(request, "claim", j.ClaimRequest, j.Saved, code=data.code)

    @get("/observations", summary="Observations on your journal")
    async def observations(self, request: Req, journal_id: FromQuery[UUID | None] = None) -> j.ObservationsView:
        return await _call(request, "observations", j.JournalRequest, j.ObservationsView, journal_id=journal_id)

    @post("/observations", status_code=HTTP_201_CREATED, summary="Point out progress the member might not see")
    async def observe(self, request: Req, data: JSONBody[ObservationBody]) -> j.Saved:
        return await _call(request, "observe", j.ObserveRequest, j.Saved, journal_id=data.journal_id, text=data.text)

    @post("/observations/{observation_id:uuid}", summary="Keep private, accept into your record, or dismiss")
    async def resolve(self, request: Req, observation_id: FromPath[UUID], data: JSONBody[ResolveBody]) -> j.Saved:
        return await _call(
            request,
            "resolve_observation",
            j.ResolveRequest,
            j.Saved,
            observation_id=observation_id,
            resolution=data.resolution,
        )
