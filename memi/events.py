"""Named domain events (blinker signals).

Services call `emit(session, signal, **data)`. Listeners pick their moment:
- `signal.connect(fn)`: after the transaction commits (dropped on rollback), so the listener never
  sees data that was rolled back: realtime pushes, future fraud detection and moderation.
- `within(signal).connect(fn)`: now, inside the unit of work, for listeners that write in the same
  transaction (notifications and their outbox emails, reservations closed by a block), so they commit
  or roll back together with the action that caused them. They run in the order they were connected
  (memi.listeners.register_listeners connects them all, in one place).
"""

from blinker import NamedSignal, Namespace
from blinker._utilities import make_id
from sqlalchemy import event
from sqlalchemy.orm import Session

signals = Namespace()

user_registered = signals.signal("user-registered")
password_reset = signals.signal("password-reset")
user_blocked = signals.signal("user-blocked")
user_unblocked = signals.signal("user-unblocked")
product_created = signals.signal("product-created")
product_status_changed = signals.signal("product-status-changed")
product_price_dropped = signals.signal("product-price-dropped")
message_sent = signals.signal("message-sent")
reservation_changed = signals.signal("reservation-changed")
notification_created = signals.signal("notification-created")
product_removed = signals.signal("product-removed")  # by moderation (product_id, admin_id, reason)
content_flagged = signals.signal("content-flagged")  # by the automated moderation (a system report follows)
report_resolved = signals.signal("report-resolved")
sessions_ended = signals.signal("sessions-ended")

_PENDING = "memi_pending_events"
_ON_ROLLBACK = "memi_on_rollback"


class OrderedSignal(NamedSignal):
    """A signal whose receivers run in the order they were connected (blinker keeps them in a set)."""

    def receivers_for(self, sender):
        order = {receiver_id: position for position, receiver_id in enumerate(self.receivers)}
        return sorted(super().receivers_for(sender), key=lambda receiver: order.get(make_id(receiver), len(order)))


class OrderedNamespace(Namespace):
    def signal(self, name, doc=None):
        if name not in self:
            self[name] = OrderedSignal(name, doc)
        return self[name]


in_transaction = OrderedNamespace()


def within(signal):
    """The in-transaction twin of `signal` (its listeners get the session as sender)."""
    return in_transaction.signal(signal.name)


def emit(session, signal, **data):
    """Send `data` to the in-transaction listeners of `signal` now, and to its listeners after commit."""
    # Queued before the in-transaction listeners run, so after commit the cause goes out before
    # the effects those listeners emit (a message frame before the notification about it).
    session.info.setdefault(_PENDING, []).append((signal, data))
    within(signal).send(session, **data)


def after_commit(session, fn):
    """Run `fn()` once `session` commits (work outside the database, such as deleting files)."""
    emit(session, _callback, fn=fn)


def on_rollback(session, fn):
    """Run `fn()` if `session` rolls back instead (undo work done outside the database)."""
    session.info.setdefault(_ON_ROLLBACK, []).append(fn)


_callback = signals.signal("memi-after-commit-callback")


@_callback.connect
def _run_callback(_sender, fn):
    fn()


@event.listens_for(Session, "after_commit")
def _send_pending(session):
    session.info.pop(_ON_ROLLBACK, None)
    pending = session.info.pop(_PENDING, [])
    for signal, data in pending:
        signal.send(None, **data)


@event.listens_for(Session, "after_soft_rollback")
def _drop_pending(session, previous_transaction):
    if previous_transaction.parent is None:
        session.info.pop(_PENDING, None)
        for fn in session.info.pop(_ON_ROLLBACK, []):
            fn()
