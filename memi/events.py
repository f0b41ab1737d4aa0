"""Named domain events (blinker signals), sent only after the transaction that caused them commits.

Services call `emit(signal, **data)`; the event waits on the session and goes out after commit, or is
dropped on rollback, so a listener never sees data that was rolled back. Listeners (notifications,
future fraud detection and moderation) connect to the signals here.
"""

from blinker import Namespace
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

_PENDING = "memi_pending_events"


def emit(session, signal, **data):
    """Queue `signal` to be sent with `data` once `session` commits."""
    session.info.setdefault(_PENDING, []).append((signal, data))


@event.listens_for(Session, "after_commit")
def _send_pending(session):
    pending = session.info.pop(_PENDING, [])
    for signal, data in pending:
        signal.send(None, **data)


@event.listens_for(Session, "after_soft_rollback")
def _drop_pending(session, previous_transaction):
    if previous_transaction.parent is None:
        session.info.pop(_PENDING, None)
