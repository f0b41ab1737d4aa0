"""The statuses of listings, reservations and reports, and the roles of users, as enums; and the
reservation state machine, defined once.

They are StrEnums: each member is its own value string ("ACTIVE" == ListingStatus.ACTIVE), so the
database, the JSON and the outbox keep exactly the strings they had. Templates reach them as Jinja
globals (ListingStatus.SOLD, reservation_actions(r, user)).
"""

from dataclasses import dataclass
from enum import StrEnum

from flask_babel import lazy_gettext as _l

from memi.errors import Conflict, Forbidden, NotFound


class ListingStatus(StrEnum):
    ACTIVE = "ACTIVE"
    RESERVED = "RESERVED"
    SOLD = "SOLD"
    DELETED = "DELETED"  # soft delete; the row stays for moderation history


class ReservationStatus(StrEnum):
    REQUESTED = "REQUESTED"
    ACCEPTED = "ACCEPTED"
    REJECTED = "REJECTED"
    CANCELLED = "CANCELLED"


class ReportStatus(StrEnum):
    OPEN = "OPEN"
    RESOLVED = "RESOLVED"
    DISMISSED = "DISMISSED"


class Role(StrEnum):
    USER = "USER"
    ADMIN = "ADMIN"


# ---- listings ---------------------------------------------------------------------------------

# What an owner may set: ACTIVE <-> RESERVED, either -> SOLD; SOLD is final; DELETED only through
# delete_product.
LISTING_TRANSITIONS = {
    ListingStatus.ACTIVE: {ListingStatus.RESERVED, ListingStatus.SOLD},
    ListingStatus.RESERVED: {ListingStatus.ACTIVE, ListingStatus.SOLD},
    ListingStatus.SOLD: set(),
    ListingStatus.DELETED: set(),
}
OWNER_SETTABLE = (ListingStatus.ACTIVE, ListingStatus.RESERVED, ListingStatus.SOLD)


# ---- the reservation state machine ------------------------------------------------------------

OPEN_RESERVATION = (ReservationStatus.REQUESTED, ReservationStatus.ACCEPTED)
BUYER, SELLER = "buyer", "seller"


@dataclass(frozen=True)
class ReservationAction:
    """A move of the state machine: from which states, to which, by whom, and the refusal text."""

    name: str
    sources: tuple
    target: ReservationStatus
    by: tuple  # BUYER and/or SELLER; () for what only the system does (a hold lapsing)
    forbidden: str
    allowed: object = None  # an extra condition on the reservation (a callable), else any in `sources`
    refused: str = ""  # the Conflict text when `allowed` says no


RESERVATION_ACTIONS = {
    a.name: a
    for a in (
        ReservationAction(
            "accept",
            (ReservationStatus.REQUESTED,),
            ReservationStatus.ACCEPTED,
            (SELLER,),
            _l("Only the seller can accept."),
        ),
        ReservationAction(
            "reject",
            (ReservationStatus.REQUESTED,),
            ReservationStatus.REJECTED,
            (SELLER,),
            _l("Only the seller can reject."),
        ),
        ReservationAction(
            "cancel",
            OPEN_RESERVATION,
            ReservationStatus.CANCELLED,
            (BUYER, SELLER),
            _l("Only the buyer or the seller can cancel."),
        ),
        ReservationAction(
            "extend",
            (ReservationStatus.ACCEPTED,),
            ReservationStatus.ACCEPTED,
            (SELLER,),
            _l("Only the seller can extend the hold."),
            allowed=lambda r: not r.extended,
            refused=_l("This hold was already extended once."),
        ),
        ReservationAction(
            "expire",
            (ReservationStatus.ACCEPTED,),
            ReservationStatus.CANCELLED,
            (),
            _l("Holds lapse on their own."),
        ),
    )
}


def _allowed(action, reservation):
    """A completed reservation (its listing sold while it held it) is final, though ACCEPTED."""
    return (
        reservation.status in action.sources
        and getattr(reservation, "completed_at", None) is None
        and (action.allowed is None or action.allowed(reservation))
    )


def reservation_side(reservation, user):
    """BUYER, SELLER or None: which side of `reservation` `user` is on."""
    user_id = getattr(user, "id", None)
    if user_id is None:
        return None
    if user_id == reservation.seller_id:
        return SELLER
    if user_id == reservation.buyer_id:
        return BUYER
    return None


def reservation_actions(reservation, user):
    """The names of the actions `user` may take on `reservation` now, in the order of
    RESERVATION_ACTIONS (what the pages offer as buttons)."""
    side = reservation_side(reservation, user)
    return [a.name for a in RESERVATION_ACTIONS.values() if side in a.by and _allowed(a, reservation)]


# Why an action does not fit the request's state: one whole sentence per state (never a status code
# dropped into a sentence), in the words the reservation pages use.
_REQUEST_IS = {
    ReservationStatus.REQUESTED: _l("This request is still waiting for the seller's answer."),
    ReservationStatus.ACCEPTED: _l("The seller has already accepted this request."),
    ReservationStatus.REJECTED: _l("The seller has already declined this request."),
    ReservationStatus.CANCELLED: _l("This request has already been cancelled."),
}


def check_reservation_action(name, reservation, actor):
    """The action `name` if `actor` may take it on `reservation` now. Raises NotFound (the actor is
    neither its buyer nor its seller: a reservation is private, outsiders cannot tell it exists),
    Forbidden (the other side's move) or Conflict (the reservation's state does not allow it)."""
    action = RESERVATION_ACTIONS[name]
    side = reservation_side(reservation, actor)
    if side is None:
        raise NotFound(_l("This reservation does not exist."))
    if side not in action.by:
        raise Forbidden(action.forbidden)
    if getattr(reservation, "completed_at", None) is not None:
        raise Conflict(_l("This reservation is completed: the item was sold."))
    if reservation.status not in action.sources:
        raise Conflict(_REQUEST_IS[reservation.status])
    if not _allowed(action, reservation):
        raise Conflict(action.refused)
    return action


# What templates may ask (registered as Jinja globals by memi.pages).
TEMPLATE_GLOBALS = {
    "ListingStatus": ListingStatus,
    "ReservationStatus": ReservationStatus,
    "ReportStatus": ReportStatus,
    "Role": Role,
    "LISTING_TRANSITIONS": LISTING_TRANSITIONS,
    "OPEN_RESERVATION": OPEN_RESERVATION,
    "reservation_actions": reservation_actions,
}
