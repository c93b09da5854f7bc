"""When things may reach a member: quiet hours in their time zone, the next local time of day,
and what to do with a waiting e-mail when its moment comes. Pure: the clock is passed in."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Literal

from shared.contracts.notification_prefs import Preferences

Verdict = Literal["send", "read", "not wanted", "held", "folded"]


def zone_of(name: str) -> dt.tzinfo:
    """The member's zone ("" or an unknown name: UTC)."""
    try:
        return zoneinfo.ZoneInfo(name) if name else dt.UTC
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return dt.UTC


def _clock(hhmm: str) -> dt.time:
    hours, minutes = hhmm.split(":")
    return dt.time(int(hours), int(minutes))


def next_local(hhmm: str, after: dt.datetime, zone: str) -> dt.datetime:
    """The first moment after ``after`` when the member's clock shows ``hhmm`` (in UTC)."""
    tz = zone_of(zone)
    here = after.astimezone(tz)
    for days in range(3):
        day = here.date() + dt.timedelta(days=days)
        moment = dt.datetime.combine(day, _clock(hhmm), tz)
        if moment > here:
            return moment.astimezone(dt.UTC)
    raise AssertionError("a time of day comes round within three days")  # pragma: no cover


def quiet_at(prefs: Preferences, at: dt.datetime, zone: str) -> bool:
    """Whether ``at`` falls in the member's quiet hours (which may run past midnight)."""
    if not prefs.quiet_hours or prefs.quiet_start == prefs.quiet_end:
        return False
    now = at.astimezone(zone_of(zone)).time()
    start, end = _clock(prefs.quiet_start), _clock(prefs.quiet_end)
    return start <= now < end if start < end else (now >= start or now < end)


def after_quiet(prefs: Preferences, at: dt.datetime, zone: str) -> dt.datetime:
    """``at``, or the end of the quiet hours it falls in."""
    return next_local(prefs.quiet_end, at, zone) if quiet_at(prefs, at, zone) else at


def item_mail(*, read: bool, wanted: bool, quiet: bool, sent_today: int, cap: int) -> Verdict:
    """A waiting e-mail about an item, when its moment comes: read in the app already → skipped;
    no longer wanted by e-mail (the member chose otherwise meanwhile) → skipped; in quiet hours →
    held until they end; the day's e-mails used up → folded into the next daily e-mail, so that
    nothing the member asked to hear by e-mail is lost; otherwise sent."""
    if read:
        return "read"
    if not wanted:
        return "not wanted"
    if quiet:
        return "held"
    if sent_today >= cap:
        return "folded"
    return "send"


def local_day(at: dt.datetime, zone: str) -> dt.date:
    return at.astimezone(zone_of(zone)).date()


def day_start(at: dt.datetime, zone: str) -> dt.datetime:
    """Midnight of ``at``'s day on the member's clock, in UTC."""
    tz = zone_of(zone)
    return dt.datetime.combine(local_day(at, zone), dt.time(0), tz).astimezone(dt.UTC)
