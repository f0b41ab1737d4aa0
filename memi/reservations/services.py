"""Reservations: a buyer asks the seller to hold an ACTIVE item.

REQUESTED -> ACCEPTED | REJECTED | CANCELLED, and ACCEPTED -> CANCELLED. Accepting sets the listing
RESERVED and rejects the other open requests in the same transaction; cancelling an accepted one puts
the listing back on sale. Each transition locks the listing row (SELECT ... FOR UPDATE), and a partial
unique index keeps one ACCEPTED reservation per listing whatever happens.

An accepted reservation holds the item for RESERVATION_HOLD_HOURS (`expires_at`); the seller may
extend it once by as much, and the worker's expiry job cancels a lapsed hold (reason "expired").
Marking the held listing SOLD completes the reservation (it stays ACCEPTED, `completed_at` set, final);
setting it ACTIVE by hand cancels the hold (reason "relisted").
"""

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from memi import events
from memi.columns import utcnow
from memi.db_setup import lock_for_update
from memi.errors import Conflict, Forbidden, Invalid, NotFound, RateLimited
from memi.extensions import db
from memi.products.models import Product
from memi.products.services import get_visible_product
from memi.ratelimit import allow
from memi.reservations.models import OPEN_STATES, STATES, Reservation
from memi.statuses import (
    RESERVATION_ACTIONS,
    ListingStatus,
    ReservationStatus,
    check_reservation_action,
)


def _lock_product(product_id):
    # populate_existing: the listing may already be in the session (read before the lock was taken);
    # its status must be the one read under the lock, not the earlier copy.
    query = lock_for_update(sa.select(Product).where(Product.id == product_id), of=Product)
    return db.session.scalar(query.execution_options(populate_existing=True))


def _changed(reservation, old, actor):
    """reservation_changed: `reason` says why a hold ended on its own, `completed` that the listing sold."""
    events.emit(
        db.session,
        events.reservation_changed,
        reservation_id=reservation.id,
        product_id=reservation.product_id,
        buyer_id=reservation.buyer_id,
        seller_id=reservation.seller_id,
        old=old,
        new=reservation.status,
        actor_id=actor.id if actor else None,
        reason=reservation.reason,
        completed=reservation.completed_at is not None,
    )


def _check_request_rate(buyer, product_id):
    # Counted before the listing is read (no Redis call inside the transaction's row lock).
    config = current_app.config
    if not allow(config["RESERVATION_RATE_PER_BUYER"], "reservation-buyer", str(buyer.id)):
        raise RateLimited(_l("You have sent many reservation requests; please wait before sending more."))
    if not allow(config["RESERVATION_RATE_PER_LISTING"], "reservation-listing", str(buyer.id), str(product_id)):
        raise RateLimited(_l("You have asked to reserve this item several times; please wait before asking again."))


def request_reservation(buyer, product_id, message=None):
    """Ask the seller to hold a listing. Raises NotFound, Forbidden (own listing or blocked account),
    Conflict (not ACTIVE, or the buyer already has an open request), RateLimited (too many requests:
    each one emails the seller)."""
    if buyer.is_blocked:
        raise Forbidden(_l("This account is blocked."))
    _check_request_rate(buyer, product_id)
    get_visible_product(buyer, product_id)
    product = _lock_product(product_id)
    if product.seller_id == buyer.id:
        raise Forbidden(_l("You cannot reserve your own listing."))
    if product.status != ListingStatus.ACTIVE:
        raise Conflict(_l("Only items on sale can be reserved."))
    open_request = db.session.scalar(
        sa.select(Reservation.id).where(
            Reservation.product_id == product.id,
            Reservation.buyer_id == buyer.id,
            Reservation.status.in_(OPEN_STATES),
        )
    )
    if open_request is not None:
        raise Conflict(_l("You already asked the seller to hold this item."))
    message = (message or "").strip()[:500] or None
    reservation = Reservation(
        product_id=product.id,
        buyer_id=buyer.id,
        seller_id=product.seller_id,
        status=ReservationStatus.REQUESTED,
        message=message,
    )
    db.session.add(reservation)
    db.session.flush()
    _changed(reservation, None, buyer)
    return reservation


def _get_locked(reservation_id):
    reservation = db.session.get(Reservation, reservation_id)
    if reservation is None:
        raise NotFound(_l("This reservation does not exist."))
    product = _lock_product(reservation.product_id)
    db.session.refresh(reservation)  # read the state after the lock, not before
    return reservation, product


def accept(seller, reservation_id):
    """The seller accepts: the listing becomes RESERVED and the other open requests are rejected.
    Raises NotFound, Forbidden (not the seller), Conflict (another is accepted or the state forbids it)."""
    reservation, product = _get_locked(reservation_id)
    check_reservation_action("accept", reservation, seller)
    if product.status != ListingStatus.ACTIVE:
        raise Conflict(_l("This item is not on sale any more."))
    accepted = db.session.scalar(
        sa.select(Reservation.id).where(
            Reservation.product_id == product.id, Reservation.status == ReservationStatus.ACCEPTED
        )
    )
    if accepted is not None:
        raise Conflict(_l("Another request is already accepted."))
    now = utcnow()
    reservation.status = ReservationStatus.ACCEPTED
    reservation.decided_at = now
    reservation.expires_at = now + _hold()
    product.status = ListingStatus.RESERVED
    db.session.flush()
    _changed(reservation, ReservationStatus.REQUESTED, seller)
    events.emit(
        db.session,
        events.product_status_changed,
        product_id=product.id,
        old=ListingStatus.ACTIVE,
        new=ListingStatus.RESERVED,
        actor_id=seller.id,
    )
    for other in db.session.scalars(
        sa.select(Reservation).where(
            Reservation.product_id == product.id,
            Reservation.status == ReservationStatus.REQUESTED,
            Reservation.id != reservation.id,
        )
    ):
        other.status = ReservationStatus.REJECTED
        other.decided_at = now
        db.session.flush()
        _changed(other, ReservationStatus.REQUESTED, seller)
    return reservation


def _hold():
    return timedelta(hours=current_app.config["RESERVATION_HOLD_HOURS"])


def extend_reservation(actor, reservation_id):
    """The seller extends an accepted hold, once, by another hold period. Raises NotFound (also for
    anyone but the buyer and the seller: the reservation is private), Forbidden (the buyer), Conflict
    (not ACCEPTED, or already extended)."""
    reservation, _product = _get_locked(reservation_id)
    check_reservation_action("extend", reservation, actor)
    if reservation.expires_at is not None and reservation.expires_at <= utcnow():
        raise Conflict(_l("This hold has already run out; it can no longer be extended."))
    reservation.expires_at = (reservation.expires_at or utcnow()) + _hold()
    reservation.extended = True
    db.session.flush()
    return reservation


def expire_due_reservations(now=None):
    """Cancel every ACCEPTED reservation whose hold has lapsed (reason "expired"): its listing goes
    back on sale if this reservation held it, and both sides are told (the cancellation event, with
    no actor). Each one is re-read under the listing's lock, so an accept, cancel or extension
    running at the same time wins or loses cleanly, and running it twice changes nothing. Returns
    the number cancelled."""
    now = now or utcnow()
    due = db.session.scalars(
        sa.select(Reservation.id)
        .where(
            Reservation.status == ReservationStatus.ACCEPTED,
            Reservation.completed_at.is_(None),
            Reservation.expires_at <= now,
        )
        .order_by(Reservation.expires_at, Reservation.id)
    ).all()
    expired = 0
    for reservation_id in due:
        reservation, product = _get_locked(reservation_id)
        action = RESERVATION_ACTIONS["expire"]
        if (
            reservation.status not in action.sources
            or reservation.completed_at is not None
            or reservation.expires_at is None
            or reservation.expires_at > now
        ):
            continue  # cancelled, sold or extended meanwhile
        reservation.status = action.target
        reservation.reason = "expired"
        db.session.flush()
        _changed(reservation, ReservationStatus.ACCEPTED, None)
        _back_on_sale(product, actor_id=None)
        expired += 1
    return expired


def reject(seller, reservation_id):
    """The seller turns a request down. Raises NotFound, Forbidden, Conflict (not REQUESTED)."""
    reservation, _product = _get_locked(reservation_id)
    check_reservation_action("reject", reservation, seller)
    reservation.status = ReservationStatus.REJECTED
    reservation.decided_at = utcnow()
    db.session.flush()
    _changed(reservation, ReservationStatus.REQUESTED, seller)
    return reservation


def cancel(actor, reservation_id):
    """Buyer or seller cancels an open reservation; an accepted one puts the listing back on sale."""
    reservation, product = _get_locked(reservation_id)
    check_reservation_action("cancel", reservation, actor)
    old = reservation.status
    reservation.status = ReservationStatus.CANCELLED
    reservation.cancelled_by_id = actor.id
    db.session.flush()
    _changed(reservation, old, actor)
    if old == ReservationStatus.ACCEPTED:
        _back_on_sale(product, actor_id=actor.id)
    return reservation


def _back_on_sale(product, actor_id):
    """The accepted reservation that held `product` ended: a RESERVED listing is ACTIVE again."""
    if product.status != ListingStatus.RESERVED:
        return
    product.status = ListingStatus.ACTIVE
    db.session.flush()
    events.emit(
        db.session,
        events.product_status_changed,
        product_id=product.id,
        old=ListingStatus.RESERVED,
        new=ListingStatus.ACTIVE,
        actor_id=actor_id,
    )


def _still_open():
    """Open and not completed: what a listing's change of status can still end."""
    return sa.and_(Reservation.status.in_(OPEN_STATES), Reservation.completed_at.is_(None))


def close_open_requests(product_id, actor=None, sold=False, reason=None):
    """The listing was sold, deleted or removed: its open requests end. REQUESTED ones are rejected;
    the ACCEPTED one is completed when the listing was `sold` (it stays ACCEPTED, `completed_at` set:
    the deal is done), else cancelled with `reason`."""
    now = utcnow()
    for reservation in db.session.scalars(
        sa.select(Reservation).where(Reservation.product_id == product_id, _still_open()).order_by(Reservation.id)
    ):
        old = reservation.status
        if old == ReservationStatus.ACCEPTED and sold:
            reservation.completed_at = now
        elif old == ReservationStatus.REQUESTED:
            reservation.status = ReservationStatus.REJECTED
            reservation.decided_at = now
        else:
            reservation.status = ReservationStatus.CANCELLED
            reservation.decided_at = now
            reservation.reason = reason
            if actor is not None:
                reservation.cancelled_by_id = actor.id
        db.session.flush()
        _changed(reservation, old, actor)


def release_hold(product_id, actor=None):
    """The seller set the held listing ACTIVE by hand: its ACCEPTED reservation is cancelled (reason
    "relisted"), so that a new request can be accepted."""
    for reservation in db.session.scalars(
        sa.select(Reservation).where(
            Reservation.product_id == product_id,
            Reservation.status == ReservationStatus.ACCEPTED,
            Reservation.completed_at.is_(None),
        )
    ):
        reservation.status = ReservationStatus.CANCELLED
        reservation.reason = "relisted"
        if actor is not None:
            reservation.cancelled_by_id = actor.id
        db.session.flush()
        _changed(reservation, ReservationStatus.ACCEPTED, actor)


def holder_of(product_id):
    """The buyer an ACCEPTED reservation holds (or completed) `product_id` for, or whose hold the
    listing's deletion just cancelled: the person a change of the listing concerns directly."""
    return db.session.scalar(
        sa.select(Reservation.buyer_id)
        .where(
            Reservation.product_id == product_id,
            sa.or_(
                Reservation.status == ReservationStatus.ACCEPTED,
                sa.and_(Reservation.status == ReservationStatus.CANCELLED, Reservation.reason == "deleted"),
            ),
        )
        .order_by(Reservation.id.desc())
        .limit(1)
    )


def _cancel_all(condition):
    ids = db.session.scalars(sa.select(Reservation.id).where(condition, _still_open()).order_by(Reservation.id)).all()
    for reservation_id in ids:
        # Locked, then re-read: an accept, cancel or expiry that ran meanwhile is seen, not overwritten.
        reservation, product = _get_locked(reservation_id)
        if reservation.status not in OPEN_STATES or reservation.completed_at is not None:
            continue
        old = reservation.status
        reservation.status = ReservationStatus.CANCELLED
        db.session.flush()
        _changed(reservation, old, None)
        if old == ReservationStatus.ACCEPTED and product.status == ListingStatus.RESERVED:
            product.status = ListingStatus.ACTIVE
            db.session.flush()


def cancel_requests_of_buyer(buyer_id):
    """A blocked buyer's open requests are cancelled (and accepted ones give the listing back)."""
    _cancel_all(Reservation.buyer_id == buyer_id)


def cancel_requests_on_listings_of(seller_id):
    """A blocked seller's listings leave the marketplace: every open request on them (REQUESTED or
    ACCEPTED) is cancelled with the usual notifications, and a held listing goes back to ACTIVE, so that
    it is on sale again if the seller is unblocked."""
    _cancel_all(Reservation.seller_id == seller_id)


def list_query(user, role=None, status=None):
    """The user's reservations as buyer and/or seller, newest first."""
    if status is not None and status not in STATES:
        raise Invalid(fields={"status": [_l("Unknown status.")]})
    query = sa.select(Reservation)
    if role == "buyer":
        query = query.where(Reservation.buyer_id == user.id)
    elif role == "seller":
        query = query.where(Reservation.seller_id == user.id)
    else:
        query = query.where(sa.or_(Reservation.buyer_id == user.id, Reservation.seller_id == user.id))
    if status:
        query = query.where(Reservation.status == status)
    return query.order_by(Reservation.created_at.desc(), Reservation.id.desc())


def open_request_of(buyer, product_id):
    if buyer is None or not getattr(buyer, "is_authenticated", False):
        return None
    return db.session.scalar(
        sa.select(Reservation).where(
            Reservation.product_id == product_id,
            Reservation.buyer_id == buyer.id,
            Reservation.status.in_(OPEN_STATES),
        )
    )
