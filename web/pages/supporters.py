"""Supporters: inviting, roles, handover stages, observations, journals kept for others."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode
from uuid import UUID

import msgspec
from litestar import Controller, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from shared.contracts import journal as j
from shared.contracts import supporters as sup
from shared.contracts.accounts import MemberView
from shared.contracts.verbs import Q, Verb
from shared.errors import Conflict, Forbidden, Invalid, NotFound
from web.auth import Req, page_member, services_of
from web.forms import form_errors, form_of, optional_text, text
from web.pages.calls import ask_journal, signed_in
from web.pages.journal import BASE, back_to, page_notices, saved_redirect, with_query, words_for
from web.pages.words import stage_words


class SupporterPages(Controller):
    path = "/"
    include_in_schema = False

    async def _page(
        self, request: Req, member: MemberView, extra: dict[str, Any] | None = None, status: int = 200
    ) -> Template:
        journal = await ask_journal(request, member, j.VIEW, j.JournalRequest())
        supporting = await ask_journal(request, member, sup.SUPPORTING, j.Actor())
        context = {
            **BASE, "title": "Supporters", "member": member, "journal": journal, "supporting": supporting.journals,
            "form": {}, "started": None, "supported_stage": supported_stage, **words_for(journal),
            **page_notices(request), **(extra or {}),
        }  # fmt: skip
        return Template("journal/supporters.html.j2", context=context, status_code=status)

    @get("/journal/supporters", name="supporters")
    async def page(self, request: Req) -> Template:
        return await self._page(request, await signed_in(request))

    async def _act(self, request: Req, verb: Verb[Q, j.Saved], back: str, req: Q) -> Template | Redirect:
        member = await signed_in(request)
        try:
            await ask_journal(request, member, verb, req)
        except (Invalid, Conflict, Forbidden, NotFound) as exc:
            status = {Invalid: 422, Conflict: 409, Forbidden: 403, NotFound: 404}[type(exc)]
            return await self._page(request, member, {"form": msgspec.structs.asdict(req), **form_errors(exc)}, status)
        return Redirect(back)

    @post("/journal/supporters")
    async def invite(self, request: Req) -> Template | Redirect:
        form = await form_of(request)
        req = sup.InviteRequest(
            pseudonym=text(form, "pseudonym"), role=text(form, "role"),
            idempotency_key=optional_text(form, "idempotency_key"),
        )  # fmt: skip
        return await self._act(request, sup.INVITE, "/journal/supporters?done=invited", req)

    @post("/journal/supporters/{supporter_id:uuid}/role")
    async def change_role(self, request: Req, supporter_id: FromPath[UUID]) -> Template | Redirect:
        form = await form_of(request)
        req = sup.SupporterRequest(supporter_id=supporter_id, role=text(form, "role"))
        return await self._act(request, sup.CHANGE_ROLE, "/journal/supporters?done=role", req)

    @post("/journal/supporters/{supporter_id:uuid}/remove")
    async def remove(self, request: Req, supporter_id: FromPath[UUID]) -> Template | Redirect:
        req = sup.SupporterRequest(supporter_id=supporter_id)
        return await self._act(request, sup.REMOVE_SUPPORTER, "/journal/supporters?done=removed", req)

    @post("/journal/stage")
    async def propose_own(self, request: Req) -> Template | Redirect:
        form = await form_of(request)
        req = sup.StageRequest(stage=text(form, "stage"))
        return await self._act(request, sup.PROPOSE_STAGE, "/journal/supporters?done=changed", req)

    @post("/journal/stage/answer")
    async def answer(self, request: Req) -> Template | Redirect:
        """The member accepts or declines the handover step proposed to them."""
        form = await form_of(request)
        accept = form.get("answer") == "accept"
        back = with_query(back_to(form, "/journal/supporters"), f"done={'accepted' if accept else 'declined'}")
        return await self._act(request, sup.ACCEPT_STAGE if accept else sup.DECLINE_STAGE, back, j.JournalRequest())

    @post("/journals/{journal_id:uuid}/stage")
    async def propose_for(self, request: Req, journal_id: FromPath[UUID]) -> Template | Redirect:
        form = await form_of(request)
        req = sup.StageRequest(journal_id=journal_id, stage=text(form, "stage"))
        return await self._act(request, sup.PROPOSE_STAGE, f"/journals/{journal_id}?done=proposed", req)

    @post("/journals/{journal_id:uuid}/respond")
    async def respond(self, request: Req, journal_id: FromPath[UUID]) -> Template | Redirect:
        form = await form_of(request)
        accept = form.get("accept") == "yes"
        back = back_to(form, "/journal/supporters")
        back = with_query(f"/journals/{journal_id}" if accept else back, f"done={'joined' if accept else 'no_thanks'}")
        return await self._act(request, sup.RESPOND, back, sup.RespondRequest(journal_id=journal_id, accept=accept))

    @post("/journals/{journal_id:uuid}/leave")
    async def leave(self, request: Req, journal_id: FromPath[UUID]) -> Template | Redirect:
        member = await signed_in(request)
        req = sup.SupporterRequest(journal_id=journal_id, supporter_id=member.member_id)
        return await self._act(request, sup.REMOVE_SUPPORTER, "/journal/supporters?done=left", req)

    @post("/journals/{journal_id:uuid}/observations")
    async def observe(self, request: Req, journal_id: FromPath[UUID]) -> Redirect:
        member, form = await signed_in(request), await form_of(request)
        req = j.ObserveRequest(
            journal_id=journal_id, text=text(form, "text"), idempotency_key=optional_text(form, "idempotency_key")
        )
        saved = await ask_journal(request, member, j.OBSERVE, req)
        return saved_redirect(f"/journals/{journal_id}", saved)

    @post("/journal/observations/{observation_id:uuid}")
    async def resolve(self, request: Req, observation_id: FromPath[UUID]) -> Redirect:
        member, form = await signed_in(request), await form_of(request)
        req = j.ResolveRequest(observation_id=observation_id, resolution=text(form, "resolution"))
        await ask_journal(request, member, j.RESOLVE_OBSERVATION, req)
        done = {"accepted": "added", "kept_private": "kept", "dismissed": "dismissed"}.get(req.resolution)
        return Redirect(with_query(back_to(form, "/journal"), f"done={done}"))

    @post("/journal/start-for")
    async def start_for(self, request: Req) -> Template:
        member, form = await signed_in(request), await form_of(request)
        try:
            req = sup.StartForRequest(
                for_name=text(form, "for_name"), idempotency_key=optional_text(form, "idempotency_key")
            )
            started = await ask_journal(request, member, sup.START_FOR, req)
        except Invalid as exc:
            return await self._page(
                request, member, {"form": {"for_name": form.get("for_name", "")}, **form_errors(exc)}, 422
            )
        link = f"{request.base_url}journal/claim/{started.claim_code}".replace("//journal", "/journal")
        return await self._page(request, member, {"started": started, "claim_link": link})

    @get("/journal/claim/{code:str}")
    async def claim_form(self, request: Req, code: FromPath[str]) -> Template | Redirect:
        """Says at once when a link is unknown or used; a signed-out person signs in or joins first
        and comes back here."""
        known = (
            len(code) <= j.CLAIM_CODE_MAX
            and (  # asked with no one signed in
                await services_of(request).journal(sup.CHECK_CLAIM, sup.ClaimCodeRequest(code=code), None)
            ).valid
        )
        if not known:
            raise NotFound(
                "This link is no longer valid: it was used already, or it was never ours. Ask the person who sent it for a new one."
            )
        member = await page_member(request)
        if member is None:
            return Redirect(f"/signin?{urlencode({'next': f'/journal/claim/{code}'})}")
        return Template(
            "journal/claim.html.j2",
            context={**BASE, "title": "Your journal is waiting", "member": member, "code": code},
        )

    @post("/journal/claim/{code:str}")
    async def claim(self, request: Req, code: FromPath[str]) -> Redirect:
        member = await signed_in(request)
        await ask_journal(request, member, sup.CLAIM, sup.ClaimRequest(code=code))
        return Redirect("/journal?done=claimed")


def supported_stage(s: j.SupportedJournal, stage: str) -> str:
    """A stage of a journal one supports, in the supporter's words."""
    view = j.JournalView(
        journal_id=s.journal_id, exists=True, owner_id=None, owner_name=s.owner_name, stage=s.stage,
        pending_stage=s.pending_stage, access=s.role,
    )  # fmt: skip
    return stage_words(stage, view)
