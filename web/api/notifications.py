"""JSON API of notification preferences: how the member hears about each kind, quiet hours, the
daily e-mail's hour and check-in reminders (the settings page's notifications section)."""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import Controller, get, put
from litestar.params import JSONBody
from litestar.status_codes import HTTP_200_OK

from shared.contracts import notification_prefs as p
from shared.contracts import notifications as n
from web.api.openapi import SECURED, problems
from web.auth import Req, api_member, services_of

KindName = Annotated[
    str,
    msgspec.Meta(
        max_length=p.KIND_MAX,
        description="One of: " + ", ".join(p.KINDS) + f". Never off: {', '.join(sorted(p.ALWAYS_TOLD))}.",
    ),
]


class PreferencesBody(msgspec.Struct, frozen=True, kw_only=True):
    channels: Annotated[
        dict[KindName, p.Channel],
        msgspec.Meta(max_length=len(p.KINDS), description="How to hear about each kind; one left out keeps its way"),
    ]
    quiet_hours: bool
    quiet_start: p.ClockTime  # "HH:MM" on the member's clock
    quiet_end: p.ClockTime
    digest_hour: p.Hour  # the member's local hour of the daily e-mail
    reminder: bool
    reminder_time: p.ClockTime


class PreferencesOut(msgspec.Struct, frozen=True, kw_only=True):
    channels: Annotated[dict[str, str], msgspec.Meta(description="How the member hears about each kind")]
    quiet_hours: bool
    quiet_start: str
    quiet_end: str
    digest_hour: int
    reminder: bool
    reminder_time: str
    time_zone: Annotated[str, msgspec.Meta(description="The zone these times follow (empty: UTC)")]


def preferences_out(view: p.PreferencesView) -> PreferencesOut:
    v = view.preferences
    return PreferencesOut(
        channels=dict(v.channels), quiet_hours=v.quiet_hours, quiet_start=v.quiet_start, quiet_end=v.quiet_end,
        digest_hour=v.digest_hour, reminder=v.reminder, reminder_time=v.reminder_time, time_zone=view.time_zone,
    )  # fmt: skip


class NotificationsApi(Controller):
    path = "/api/notifications"
    tags = ["inbox"]  # noqa: RUF012 - Litestar declares it as an instance attribute
    security = SECURED

    @get("/preferences", summary="How the member hears about things", responses=problems(401))
    async def preferences(self, request: Req) -> PreferencesOut:
        member = await api_member(request)
        return preferences_out(await services_of(request).notifications(n.PREFERENCES, p.PreferencesRequest(), member))

    @put("/preferences", status_code=HTTP_200_OK, summary="Choose how to hear about things (nothing changes on an error)",
         responses=problems(400, 401, 422, 429))  # fmt: skip
    async def set_preferences(self, request: Req, data: JSONBody[PreferencesBody]) -> PreferencesOut:
        member = await api_member(request)
        chosen = p.Preferences(
            channels=dict(data.channels), quiet_hours=data.quiet_hours, quiet_start=data.quiet_start,
            quiet_end=data.quiet_end, digest_hour=data.digest_hour, reminder=data.reminder,
            reminder_time=data.reminder_time,
        )  # fmt: skip
        req = p.SetPreferencesRequest(preferences=chosen)
        return preferences_out(await services_of(request).notifications(n.SET_PREFERENCES, req, member))
