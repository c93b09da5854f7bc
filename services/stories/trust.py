"""Trust: what a member's approved posts and removals earn them, and what their report weighs.
Pure; no I/O, no clock (the handler passes ``now`` and what the read models know)."""

from __future__ import annotations

import datetime as dt

import msgspec

REMOVAL_COST = 3  # approved posts a removal takes away from trust
# An account's age sets the base weight of its report: a handful of accounts made minutes ago
# must not be able to hide a story that an established member cannot hide alone.
AGE_STEPS: tuple[tuple[dt.timedelta, float], ...] = (
    (dt.timedelta(days=1), 0.25),
    (dt.timedelta(days=7), 0.5),
    (dt.timedelta(days=30), 0.75),
)
ESTABLISHED = 1.0  # the base weight of an account a month old or older
MOST, LEAST = 2.0, 0.1  # every report weighs something (the queue counts them), none more than two


class Standing(msgspec.Struct, frozen=True, kw_only=True):
    """What the stories service knows of a member: since when they are here, what they posted."""

    registered_at: dt.datetime | None = None  # None: not known yet, counted as brand new
    approved: int = 0
    removed: int = 0


def trust_score(approved: int, removed: int) -> int:
    return approved - REMOVAL_COST * removed


def trusted(standing: Standing, trust_after: int) -> bool:
    """Whether the member publishes directly (post-moderation)."""
    return trust_score(standing.approved, standing.removed) >= trust_after


def age_weight(registered_at: dt.datetime | None, now: dt.datetime) -> float:
    if registered_at is None:
        return AGE_STEPS[0][1]
    age = now - registered_at
    return next((weight for below, weight in AGE_STEPS if age < below), ESTABLISHED)


def report_weight(standing: Standing, now: dt.datetime) -> float:
    """A brand-new account's report weighs a quarter, a month-old account's one; each approved post
    adds a tenth (up to one more), each removal takes three tenths away."""
    score = trust_score(standing.approved, standing.removed)
    weight = age_weight(standing.registered_at, now) + max(-1.0, min(1.0, score / 10))
    return round(max(LEAST, min(MOST, weight)), 2)
