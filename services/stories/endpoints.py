"""The stories service on NATS: verb -> handler or query."""

from __future__ import annotations

from services.stories.handlers import StoriesHandlers
from services.stories.reads import StoriesReads
from shared.bus.rpc import Route, serves
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
            serves(c.CLAIM, w.claim),
            serves(c.RELEASE, w.release),
            serves(c.HOLD, w.hold),
            serves(c.REACH_OUT, w.reach_out),
            serves(c.SAVE_TEMPLATE, w.save_template),
            serves(c.MODERATE, w.moderate),
            serves(c.DECIDE_APPEAL, w.decide_appeal),
            serves(c.REPORT, w.report),
            serves(c.ENCOURAGE, w.encourage),
            serves(c.TAKE_BACK, w.take_back),
            serves(c.SET_PREFERENCES, w.set_preferences),
            serves(c.FEED, r.feed),
            serves(c.STORY, r.story),
            serves(c.MINE, r.mine),
            serves(c.PREFERENCES, r.preferences),
            serves(c.QUEUE, r.queue),
            serves(c.ITEM, r.item),
            serves(c.AUDIT, r.audit),
            serves(c.MESSAGES, r.messages),
            serves(c.TEMPLATES, r.templates),
        ]
    )
