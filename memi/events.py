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
_ON_ROLLBACK = "memi_on_rollback"


def emit(session, signal, **data):
    """Queue `signal` to be sent with `data` once `session` commits."""
    session.info.setdefault(_PENDING, []).append((signal, data))


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
