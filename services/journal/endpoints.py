"""The journal service on NATS: verb -> handler."""

from __future__ import annotations

from services.journal.handlers import JournalHandlers
from services.journal.reads import JournalReads
from shared.bus.rpc import Route, route
from shared.contracts import journal as c


def routes(w: JournalHandlers, r: JournalReads) -> dict[str, Route]:
    return {
        "record": route(c.RecordRequest, w.record),
        "edit": route(c.EditRequest, w.edit),
        "retract": route(c.EntryRequest, w.retract),
        "confirm": route(c.EntryRequest, w.confirm),
        "note": route(c.NoteRequest, w.note),
        "observe": route(c.ObserveRequest, w.observe),
        "resolve_observation": route(c.ResolveRequest, w.resolve),
        "invite": route(c.InviteRequest, w.invite),
        "respond": route(c.RespondRequest, w.respond),
        "change_role": route(c.SupporterRequest, w.change_role),
        "remove_supporter": route(c.SupporterRequest, w.remove_supporter),
        "propose_stage": route(c.StageRequest, w.propose_stage),
        "accept_stage": route(c.JournalRequest, w.accept_stage),
        "decline_stage": route(c.JournalRequest, w.decline_stage),
        "start_for": route(c.StartForRequest, w.start_for),
        "claim": route(c.ClaimRequest, w.claim),
        "view": route(c.JournalRequest, r.view),
        "timeline": route(c.TimelineRequest, r.timeline),
        "entry": route(c.EntryRequest, r.entry),
        "observations": route(c.JournalRequest, r.observations),
        "supporting": route(c.Actor, r.supporting),
        "next_steps": route(c.Actor, r.next_steps),
        "check_claim": route(c.ClaimCodeRequest, r.check_claim),
        "progress": route(c.JournalRequest, r.progress),
        "export": route(c.JournalRequest, r.export),
        "draft_story": route(c.DraftRequest, r.draft_story),
    }
