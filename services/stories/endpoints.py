"""The stories service on NATS: verb -> handler or query."""

from __future__ import annotations

from services.stories.handlers import StoriesHandlers
from services.stories.reads import StoriesReads
from shared.bus.rpc import Route, serves
from shared.contracts import moderation as mc
from shared.contracts import stories as c
from shared.contracts import stories_export as x


def routes(w: StoriesHandlers, r: StoriesReads) -> dict[str, Route]:
    return dict(
        [
            serves(c.SUBMIT, w.submit),
            serves(c.REVISE, w.revise),
            serves(c.REPLY, w.reply),
            serves(c.WITHDRAW, w.withdraw),
            serves(c.HIDE_REPLY, w.hide_reply),
            serves(c.APPEAL, w.appeal),
            serves(mc.CLAIM, w.claim),
            serves(mc.RELEASE, w.release),
            serves(mc.HOLD, w.hold),
            serves(mc.REACH_OUT, w.reach_out),
            serves(mc.SAVE_TEMPLATE, w.save_template),
            serves(mc.MODERATE, w.moderate),
            serves(mc.DECIDE_APPEAL, w.decide_appeal),
            serves(c.REPORT, w.report),
            serves(c.ENCOURAGE, w.encourage),
            serves(c.TAKE_BACK, w.take_back),
            serves(c.SET_PREFERENCES, w.set_preferences),
            serves(c.FEED, r.feed),
            serves(c.STORY, r.story),
            serves(c.MINE, r.mine),
            serves(c.PREFERENCES, r.preferences),
            serves(x.EXPORT, r.export),
            serves(mc.QUEUE, r.queue),
            serves(mc.ITEM, r.item),
            serves(mc.AUDIT, r.audit),
            serves(c.MESSAGES, r.messages),
            serves(mc.TEMPLATES, r.templates),
        ]
    )
