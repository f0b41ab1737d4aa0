"""Which listings a person may see: the one rule, written once, as queries.

The rule (API.md: "a soft-deleted or moderated-away resource is 404 to everyone but its owner and
admins"):

- A listing is *public* when its status is ACTIVE, RESERVED or SOLD, a moderator has not removed it
  (`removed_at` is unset) and its seller is not blocked. Everyone, signed in or not, sees public
  listings.
- Its seller also sees their own listing in every other state (deleted, moderated away, their
  account blocked), and admins see every listing: `visible_listings(viewer)`, for opening one
  listing (the product page, the API's GET, the listing a chat, reservation, report or favorite
  is about).
- Lists are the same for everyone and show public listings only, each list narrowed to the
  statuses it shows: `public_listings(statuses)` for search and browse (ACTIVE by default,
  RESERVED on request), a seller's page (ACTIVE and RESERVED), favorites (ACTIVE, RESERVED, SOLD),
  similar items. A status outside PUBLIC_STATUSES never reaches a list, whatever a caller passes.

Both return a Select of Product joined with its seller (User), which also loads the seller, so
callers add their own filters, joins and order.
"""

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager

from memi.products.models import Product
from memi.statuses import ListingStatus
from memi.users.models import User

PUBLIC_STATUSES = (ListingStatus.ACTIVE, ListingStatus.RESERVED, ListingStatus.SOLD)


def public_clause(statuses=PUBLIC_STATUSES):
    """The where-clause of public listings in `statuses` (needs the seller joined as User)."""
    shown = [s for s in statuses if s in PUBLIC_STATUSES]
    return sa.and_(Product.status.in_(shown), Product.removed_at.is_(None), User.is_blocked.is_(False))


def _listings():
    return (
        sa.select(Product)
        .join(User, User.id == Product.seller_id)
        .options(contains_eager(Product.seller))  # the join that filters also loads the seller
    )


def public_listings(statuses=PUBLIC_STATUSES):
    """The public listings in `statuses` (a Select): what every list shows, to everyone."""
    return _listings().where(public_clause(statuses))


def visible_listings(viewer=None):
    """The listings `viewer` may open (a Select): public ones, plus their own in any state, plus all
    of them for an admin. `viewer` may be None or an anonymous user."""
    query = _listings()
    if viewer is None or not getattr(viewer, "is_authenticated", True):
        return query.where(public_clause())
    if getattr(viewer, "is_admin", False):
        return query
    return query.where(sa.or_(public_clause(), Product.seller_id == viewer.id))


def is_public(product):
    """Whether `product` is public (public_clause, for a listing already loaded with its seller)."""
    return product.status in PUBLIC_STATUSES and product.removed_at is None and not product.seller.is_blocked
