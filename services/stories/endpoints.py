"""The stories service on NATS: verb -> handler or query."""

from __future__ import annotations

from services.stories.handlers import StoriesHandlers
from services.stories.reads import StoriesReads
from shared.bus.rpc import Route, serves
from shared.contracts import moderation as mod
from shared.contracts import stories as c


def routes(w: StoriesHandlers, r: StoriesReads) -> dict[str, Route]:
    return dict(
        [
            serves(c.SUBMIT, w.submit),
            serves(c.REVISE, w.revise),
            serves(c.REPLY, w.reply),
            serves(c.WITHDRAW, w.withdraw),
            serves(c.HIDE_REPLY, w.hide_reply),
            serves(c.APPEAL, w.appeal),
            serves(mod.CLAIM, w.claim),
            serves(mod.RELEASE, w.release),
            serves(mod.HOLD, w.hold),
            serves(mod.REACH_OUT, w.reach_out),
            serves(mod.SAVE_TEMPLATE, w.save_template),
            serves(mod.MODERATE, w.moderate),
            serves(mod.DECIDE_APPEAL, w.decide_appeal),
            serves(c.REPORT, w.report),
            serves(c.ENCOURAGE, w.encourage),
            serves(c.TAKE_BACK, w.take_back),
            serves(c.SET_PREFERENCES, w.set_preferences),
            serves(c.FEED, r.feed),
            serves(c.STORY, r.story),
            serves(c.MINE, r.mine),
            serves(c.PREFERENCES, r.preferences),
            serves(mod.QUEUE, r.queue),
            serves(mod.ITEM, r.item),
            serves(mod.AUDIT, r.audit),
            serves(c.MESSAGES, r.messages),
            serves(mod.TEMPLATES, r.templates),
        ]
    )
