"""The stories service on NATS: verb -> handler or query."""

from __future__ import annotations

from services.stories.handlers import StoriesHandlers
from services.stories.reads import StoriesReads
from shared.bus.rpc import Route, route
from shared.contracts import stories as c


def routes(w: StoriesHandlers, r: StoriesReads) -> dict[str, Route]:
    return {
        "submit": route(c.SubmitRequest, w.submit),
        "revise": route(c.ReviseRequest, w.revise),
        "reply": route(c.ReplyRequest, w.reply),
        "withdraw": route(c.ItemRequest, w.withdraw),
        "hide_reply": route(c.ItemRequest, w.hide_reply),
        "appeal": route(c.AppealRequest, w.appeal),
        "claim": route(c.ItemRequest, w.claim),
        "release": route(c.ItemRequest, w.release),
        "hold": route(c.ItemRequest, w.hold),
        "reach_out": route(c.ReachOutRequest, w.reach_out),
        "save_template": route(c.TemplateRequest, w.save_template),
        "moderate": route(c.ModerateRequest, w.moderate),
        "decide_appeal": route(c.DecideAppealRequest, w.decide_appeal),
        "report": route(c.ReportRequest, w.report),
        "encourage": route(c.EncourageRequest, w.encourage),
        "take_back": route(c.EncourageRequest, w.take_back),
        "set_preferences": route(c.PreferencesRequest, w.set_preferences),
        "feed": route(c.FeedRequest, r.feed),
        "story": route(c.StoryRequest, r.story),
        "mine": route(c.Actor, r.mine),
        "preferences": route(c.Actor, r.preferences),
        "queue": route(c.QueueRequest, r.queue),
        "item": route(c.ItemRequest, r.item),
        "audit": route(c.AuditRequest, r.audit),
        "messages": route(c.Actor, r.messages),
        "templates": route(c.Actor, r.templates),
    }
