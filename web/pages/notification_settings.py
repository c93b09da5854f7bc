"""The notifications part of the settings page: the form's fields read into the contract's
``Preferences``, with a clear message for each thing that cannot be read; nothing is sent then."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from shared.contracts import notification_prefs as p
from shared.errors import FieldError, Invalid

TIME = re.compile(p.TIME_PATTERN)
FIELDS = {
    **{f"channel-{k}": (f"channel-{k}", label) for k, label in p.KIND_LABELS.items()},
    "quiet_start": ("quiet_start", "Quiet hours from"), "quiet_end": ("quiet_end", "Quiet hours until"),
    "digest_hour": ("digest_hour", "Daily e-mail at"), "reminder_time": ("reminder_time", "Reminder at"),
}  # fmt: skip
"""Each field's id and name, for the links in the page's summary of errors."""
TIME_HINT = "Choose a time like 07:30 (hours 00 to 23, minutes 00 to 59)."


def _time(form: Mapping[str, Any], field: str, errors: list[FieldError]) -> str:
    value = str(form.get(field, "")).strip()
    if not TIME.match(value):
        errors.append(FieldError(field=field, message=TIME_HINT))
    return value


def _hour(form: Mapping[str, Any], errors: list[FieldError]) -> int:
    raw = form.get("digest_hour", "")
    if raw.isdigit() and 0 <= int(raw) <= 23:
        return int(raw)
    errors.append(FieldError(field="digest_hour", message="Choose an hour from 0 to 23."))
    return 0


def _channels(form: Mapping[str, Any], errors: list[FieldError]) -> dict[str, p.Channel]:
    chosen: dict[str, p.Channel] = {}
    for kind in p.KINDS:
        value = form.get(f"channel-{kind}", "")
        if value in p.CHANNELS:
            chosen[kind] = value
        else:
            errors.append(FieldError(field=f"channel-{kind}", message="Choose one of the ways to hear about this."))
    return chosen


def preferences_from(form: Mapping[str, Any]) -> p.Preferences:
    errors: list[FieldError] = []
    prefs = p.Preferences(
        channels=_channels(form, errors), quiet_hours=form.get("quiet_hours") == "on",
        quiet_start=_time(form, "quiet_start", errors), quiet_end=_time(form, "quiet_end", errors),
        digest_hour=_hour(form, errors), reminder=form.get("reminder") == "on",
        reminder_time=_time(form, "reminder_time", errors),
    )  # fmt: skip
    if errors:
        raise Invalid(
            "Some of your notification settings need another look. Nothing was changed.", errors=tuple(errors)
        )
    return prefs


def form_of_preferences(prefs: p.Preferences) -> dict[str, Any]:
    """The form's values for the page, from saved preferences."""
    return {
        **{f"channel-{k}": prefs.channels.get(k, "in_app") for k in p.KINDS},
        "quiet_hours": prefs.quiet_hours, "quiet_start": prefs.quiet_start, "quiet_end": prefs.quiet_end,
        "digest_hour": prefs.digest_hour, "reminder": prefs.reminder, "reminder_time": prefs.reminder_time,
    }  # fmt: skip
