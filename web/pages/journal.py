"""Journal pages: one's own journal, journals one supports, and progress. Supporters are in
``supporters.py``, the export in ``export.py``."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from litestar import Controller, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from shared.contracts import journal as j
from shared.contracts.accounts import MemberView
from shared.errors import Conflict, Invalid
from web.api.limits import Filter, Page
from web.auth import Req
from web.charts import mood_chart
from web.forms import form_errors, form_of, number, optional_date, optional_text, text, texts
from web.pages.calls import ask_journal, signed_in
from web.pages.words import done_message, stage_words, step_words
from web.security import local_path
from web.timeline import KIND_LABELS

BASE = {"themes": j.THEMES, "kinds": KIND_LABELS}


def _mood(form: Any) -> int | None:
    mood = (form.get("mood") or "").strip()
    return int(mood) if mood.lstrip("-").isdigit() else None


def _entry_fields(form: Any) -> dict[str, Any]:
    """What was typed in an entry's form, to show it again."""
    return {
        "kind": form.get("kind", ""),
        "text": form.get("text", ""),
        "helped": form.get("helped", ""),
        "mood": _mood(form),
        "themes": list(form.getall("themes", [])),
        "occurred_on": form.get("occurred_on") or None,
        "visibility": form.get("visibility", "private"),
    }


def entry_of(form: Any) -> j.EntryFields:
    """The entry an entry's form describes (a day that is not a date is refused, naming its field;
    the service checks the rest)."""
    return j.EntryFields(
        kind=text(form, "kind"), text=text(form, "text"), helped=text(form, "helped"), mood=_mood(form),
        themes=texts(form, "themes"), occurred_on=optional_date(form.get("occurred_on"), "occurred_on"),
        visibility=text(form, "visibility", "private"),
    )  # fmt: skip


def back_to(form: Any, default: str) -> str:
    return local_path(form.get("back"), default)


def with_query(path: str, query: str) -> str:
    return f"{path}{'&' if '?' in path else '?'}{query}"


def saved_redirect(back: str, saved: j.Saved) -> Redirect:
    """Back where the person was, saying it was saved. For crisis language: the helplines when
    they wrote in their own journal, guidance for helping someone at risk when they wrote in a
    journal they support."""
    crisis = ("&crisis=supporter" if back.startswith("/journals/") else "&crisis=1") if saved.crisis else ""
    return Redirect(with_query(back, f"saved=1{crisis}"))


def page_notices(request: Req) -> dict[str, Any]:
    """What a page says after a redirect: saved, a confirmation, or the crisis message."""
    crisis = request.query_params.get("crisis")
    return {
        "crisis": crisis if crisis in ("1", "supporter") else None,
        "saved": request.query_params.get("saved") == "1",
        "done": done_message(request.query_params.get("done")),
    }


def words_for(view: j.JournalView) -> dict[str, Any]:
    """The stage names of a journal, in its reader's words, for a page's context."""
    return {"stage_names": {key: stage_words(key, view) for key in j.STAGE_LABELS}}


class JournalPages(Controller):
    path = "/"
    include_in_schema = False

    async def _timeline_page(
        self,
        request: Req,
        member: MemberView,
        journal_id: UUID | None,
        filters: dict[str, Any],
        extra: dict[str, Any] | None = None,
        status: int = 200,
    ) -> Template:
        req = j.TimelineRequest(
            journal_id=journal_id, kind=filters.get("kind", ""), theme=filters.get("theme", ""),
            author=filters.get("author", ""), page=filters.get("page", 1),
        )  # fmt: skip
        view = await ask_journal(request, member, j.TIMELINE, req)
        days: dict[Any, list[j.TimelineItem]] = {}
        for item in view.items:
            days.setdefault(item.day, []).append(item)
        steps = [i for i in view.items if i.kind == "handover"]
        base = f"/journals/{journal_id}" if journal_id else "/journal"
        write = request.query_params.get("write")
        # this page's address with its filters, to which a quiet link adds what to open
        here_plain = f"{base}?" + urlencode({k: v for k, v in filters.items() if v and (k != "page" or v != 1)})
        here = here_plain + ("&" if not here_plain.endswith("?") else "")
        context = {
            **BASE, "title": "Journal" if journal_id is None else f"{view.journal.owner_name}'s journal", "member": member,
            "view": view, "days": days, "filters": filters, "base": base, "pending": view.pending,
            "form": {}, "open_kind": write if write in ("victory", "setback", "mood") else "victory",
            "here": here, "here_plain": here_plain.rstrip("?"),
            "note_for": request.query_params.get("note"), "ask_retract": request.query_params.get("retract"),
            "proposal": next((i for i in steps if i.step == "proposed"), None),
            "answer": next((i for i in steps if i.step in ("accepted", "declined")), None),
            "step_words": lambda item: step_words(item, view.journal, member.pseudonym),
            **words_for(view.journal), **page_notices(request), **(extra or {}),
        }  # fmt: skip
        return Template("journal/index.html.j2", context=context, status_code=status)

    @get("/journal", name="journal")
    async def own(
        self,
        request: Req,
        kind: Filter = "",
        theme: Filter = "",
        author: Filter = "",
        page: Page = 1,
    ) -> Template:
        member = await signed_in(request)
        return await self._timeline_page(
            request, member, None, {"kind": kind, "theme": theme, "author": author, "page": page}
        )

    @get("/journals/{journal_id:uuid}", name="supported-journal")
    async def supported(
        self,
        request: Req,
        journal_id: FromPath[UUID],
        kind: Filter = "",
        theme: Filter = "",
        author: Filter = "",
        page: Page = 1,
    ) -> Template:
        member = await signed_in(request)
        return await self._timeline_page(
            request, member, journal_id, {"kind": kind, "theme": theme, "author": author, "page": page}
        )

    @post("/journal/entries")
    async def record_own(self, request: Req) -> Template | Redirect:
        return await self._record(request, None)

    @post("/journals/{journal_id:uuid}/entries")
    async def record_for(self, request: Req, journal_id: FromPath[UUID]) -> Template | Redirect:
        return await self._record(request, journal_id)

    async def _record(self, request: Req, journal_id: FromPath[UUID] | None) -> Template | Redirect:
        member, form = await signed_in(request), await form_of(request)
        fields = _entry_fields(form)
        base = f"/journals/{journal_id}" if journal_id else "/journal"
        try:
            req = j.RecordRequest(
                journal_id=journal_id, entry=entry_of(form), idempotency_key=optional_text(form, "idempotency_key")
            )
            saved = await ask_journal(request, member, j.RECORD, req)
        except Invalid as exc:
            extra = {"form": fields, "open_kind": fields["kind"], **form_errors(exc)}
            return await self._timeline_page(request, member, journal_id, {"page": 1}, extra, status=422)
        return saved_redirect(base, saved)

    @get("/journal/entries/{entry_id:uuid}/edit")
    async def edit_form(self, request: Req, entry_id: FromPath[UUID]) -> Template:
        member = await signed_in(request)
        entry = await ask_journal(request, member, j.ENTRY, j.EntryRequest(entry_id=entry_id))
        back = local_path(request.query_params.get("back"), "/journal")
        return Template(
            "journal/edit.html.j2",
            context={**BASE, "title": "Edit entry", "member": member, "entry": entry, "back": back, "form": {}},
        )

    @post("/journal/entries/{entry_id:uuid}/edit")
    async def edit(self, request: Req, entry_id: FromPath[UUID]) -> Template | Redirect:
        member, form = await signed_in(request), await form_of(request)
        fields, back = _entry_fields(form), back_to(form, "/journal")
        version = form.get("version") or "0"  # a number; anything else is refused as a 422
        try:
            req = j.EditRequest(
                entry_id=entry_id, expected_version=number(version, "expected_version"), entry=entry_of(form)
            )
            saved = await ask_journal(request, member, j.EDIT, req)
        except (Invalid, Conflict) as exc:
            entry = await ask_journal(request, member, j.ENTRY, j.EntryRequest(entry_id=entry_id))
            message = (
                "Someone changed this entry while you were editing. Please reload it and make your change again."
                if isinstance(exc, Conflict)
                else None
            )
            context = {
                **BASE,
                "title": "Edit entry",
                "member": member,
                "entry": entry,
                "back": back,
                "form": fields,
                **form_errors(exc),
            }
            if message:
                context["error"] = message
            return Template(
                "journal/edit.html.j2", context=context, status_code=409 if isinstance(exc, Conflict) else 422
            )
        return saved_redirect(back, saved)

    @post("/journal/entries/{entry_id:uuid}/{action:str}")
    async def entry_action(self, request: Req, entry_id: FromPath[UUID], action: FromPath[str]) -> Redirect:
        member, form = await signed_in(request), await form_of(request)
        back = back_to(form, "/journal")
        if action == "note":
            note = j.NoteRequest(
                entry_id=entry_id, text=text(form, "text"), idempotency_key=optional_text(form, "idempotency_key")
            )
            return saved_redirect(back, await ask_journal(request, member, j.NOTE, note))
        if action not in ("retract", "confirm"):
            raise Invalid("Unknown action.")
        verb = j.RETRACT if action == "retract" else j.CONFIRM
        await ask_journal(request, member, verb, j.EntryRequest(entry_id=entry_id))
        return Redirect(with_query(back, f"done={action}ed"))

    @get("/journal/progress")
    async def progress_own(self, request: Req) -> Template:
        return await self._progress(request, None)

    @get("/journals/{journal_id:uuid}/progress")
    async def progress_for(self, request: Req, journal_id: FromPath[UUID]) -> Template:
        return await self._progress(request, journal_id)

    async def _progress(self, request: Req, journal_id: FromPath[UUID] | None) -> Template:
        member = await signed_in(request)
        view = await ask_journal(request, member, j.PROGRESS, j.JournalRequest(journal_id=journal_id))
        own = view.journal.access == "owner"
        title = "How far you've come" if own else f"{view.journal.owner_name}'s mood"
        context = {
            **BASE, "title": title, "member": member, "p": view, "own": own, "name": view.journal.owner_name,
            "chart": mood_chart(view.weeks, "Your mood" if own else title),
        }  # fmt: skip
        return Template("journal/progress.html.j2", context=context)
