"""The journal service on NATS: verb -> handler."""

from __future__ import annotations

from services.journal.handlers import JournalHandlers
from services.journal.reads import JournalReads
from shared.bus.rpc import Route, serves
from shared.contracts import journal as c


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
            serves(c.INVITE, w.invite),
            serves(c.RESPOND, w.respond),
            serves(c.CHANGE_ROLE, w.change_role),
            serves(c.REMOVE_SUPPORTER, w.remove_supporter),
            serves(c.PROPOSE_STAGE, w.propose_stage),
            serves(c.ACCEPT_STAGE, w.accept_stage),
            serves(c.DECLINE_STAGE, w.decline_stage),
            serves(c.START_FOR, w.start_for),
            serves(c.CLAIM, w.claim),
            serves(c.VIEW, r.view),
            serves(c.TIMELINE, r.timeline),
            serves(c.ENTRY, r.entry),
            serves(c.OBSERVATIONS, r.observations),
            serves(c.SUPPORTING, r.supporting),
            serves(c.NEXT_STEPS, r.next_steps),
            serves(c.CHECK_CLAIM, r.check_claim),
            serves(c.PROGRESS, r.progress),
            serves(c.EXPORT, r.export),
            serves(c.DRAFT_STORY, r.draft_story),
        ]
    )
