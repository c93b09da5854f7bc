"""The notifications service on NATS: verb -> query or handler."""

from __future__ import annotations

from services.notifications.exporting import ExportReads
from services.notifications.handlers import NotificationsHandlers
from services.notifications.preferences import PreferenceHandlers
from services.notifications.queries import NotificationsReads
from shared.bus.rpc import Route, serves
from shared.contracts import notifications as n
from shared.contracts import notifications_export as x


def routes(
    reads: NotificationsReads, handlers: NotificationsHandlers, prefs: PreferenceHandlers, export: ExportReads
) -> dict[str, Route]:
    return dict(
        [
            serves(n.INBOX, reads.inbox),
            serves(n.UNREAD, reads.unread),
            serves(n.CHANGES, reads.changes),
            serves(n.MARK_READ, handlers.mark_read),
            serves(n.MARK_ALL_READ, handlers.mark_all_read),
            serves(n.MUTE, handlers.mute),
            serves(n.UNMUTE, handlers.unmute),
            serves(n.PREFERENCES, prefs.preferences),
            serves(n.SET_PREFERENCES, prefs.set_preferences),
            serves(n.UNSUBSCRIBE, prefs.unsubscribe),
            serves(x.EXPORT, export.export),
        ]
    )
