"""Every feature's event listeners, connected in one place (create_app). The order matters for the
in-transaction listeners of one event, which run in the order connected: when a listing leaves sale,
its reservations close (and their notifications go out) before the favoriters hear about it, as the
services did it before the reactions became listeners."""

from memi.chat import realtime
from memi.notifications import listeners as notifications
from memi.reports import listeners as reports
from memi.reservations import listeners as reservations


def register_listeners():
    """Connect the listeners (idempotent: connecting again keeps one connection, in its first place)."""
    reservations.register()
    reports.register()
    notifications.register()
    realtime.register()
