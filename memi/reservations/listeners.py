"""Reservations react to other features' events, inside the unit of work (events.within), so the
cancellations commit or roll back with the action that caused them. Connected by
memi.listeners.register_listeners (`register`), before the notification listeners."""

from memi import events
from memi.extensions import db
from memi.reservations.services import (
    cancel_requests_of_buyer,
    cancel_requests_on_listings_of,
    close_open_requests,
    release_hold,
)
from memi.statuses import ListingStatus
from memi.users.models import User

LEFT_SALE = (ListingStatus.SOLD, ListingStatus.DELETED)


def _on_user_blocked(session, user_id, **_):
    """A blocked user's open requests, and every open request on their listings, are cancelled."""
    cancel_requests_of_buyer(user_id)
    cancel_requests_on_listings_of(user_id)


def _on_status_changed(session, product_id, old, new, actor_id=None, **_):
    """A listing sold (the hold completes) or deleted: its open requests close. A held listing set
    ACTIVE by hand: the hold is cancelled."""
    actor = db.session.get(User, actor_id) if actor_id is not None else None
    if new in LEFT_SALE:
        sold = new == ListingStatus.SOLD
        close_open_requests(product_id, actor, sold=sold, reason=None if sold else "deleted")
    elif old == ListingStatus.RESERVED and new == ListingStatus.ACTIVE:
        release_hold(product_id, actor)


def _on_product_removed(session, product_id, admin_id, **_):
    """A listing moderation removed: its open requests close."""
    close_open_requests(product_id, db.session.get(User, admin_id), reason="removed")


def register():
    events.within(events.user_blocked).connect(_on_user_blocked)
    events.within(events.product_status_changed).connect(_on_status_changed)
    events.within(events.product_removed).connect(_on_product_removed)
