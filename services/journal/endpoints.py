"""The journal service on NATS: verb -> handler."""

from __future__ import annotations

from services.journal.handlers import JournalHandlers
from services.journal.reads import JournalReads
from shared.bus.rpc import Route, serves
from shared.contracts import journal as c
from shared.contracts import supporters as sup


def routes(w: JournalHandlers, r: JournalReads) -> dict[str, Route]:
    return dict(
        [
            serves(c.RECORD, w.record),
            serves(c.EDIT, w.edit),
            serves(c.RETRACT, w.retract),
            serves(c.CONFIRM, w.confirm),
            serves(c.NOTE, w.note),
            serves(c.OBSERVE, w.observe),
            serves(c.RESOLVE_OBSERVATION, w.resolve),
            serves(sup.INVITE, w.invite),
            serves(sup.RESPOND, w.respond),
            serves(sup.CHANGE_ROLE, w.change_role),
            serves(sup.REMOVE_SUPPORTER, w.remove_supporter),
            serves(sup.PROPOSE_STAGE, w.propose_stage),
            serves(sup.ACCEPT_STAGE, w.accept_stage),
            serves(sup.DECLINE_STAGE, w.decline_stage),
            serves(sup.START_FOR, w.start_for),
            serves(sup.CLAIM, w.claim),
            serves(c.VIEW, r.view),
            serves(c.TIMELINE, r.timeline),
            serves(c.ENTRY, r.entry),
            serves(c.OBSERVATIONS, r.observations),
            serves(sup.SUPPORTING, r.supporting),
            serves(c.NEXT_STEPS, r.next_steps),
            serves(sup.CHECK_CLAIM, r.check_claim),
            serves(c.PROGRESS, r.progress),
            serves(c.EXPORT, r.export),
            serves(c.DRAFT_STORY, r.draft_story),
        ]
    )
