"""What the sitemap lists: the ids of ACTIVE public listings with their last change, in pages of at
most 50,000 (the sitemap protocol's limit per file), read as plain rows (no ORM objects).

Pages are fixed ranges of ids: page n holds the listings with ids n*PAGE+1 .. (n+1)*PAGE. Each page is
one range scan of the primary key (keyset by id, never OFFSET), a page's URL keeps meaning the same
listings as others are sold or added, and the index needs one pass to know which pages have listings
and when each last changed."""

import sqlalchemy as sa

from memi.extensions import db
from memi.products.models import Product
from memi.products.visibility import public_clause
from memi.statuses import ListingStatus
from memi.users.models import User

PAGE = 50_000


def _active():
    return public_clause((ListingStatus.ACTIVE,))


def listing_pages():
    """[(page number, last change of a listing in it)] for every page that has an ACTIVE public
    listing, in order."""
    page = ((Product.id - 1) // PAGE).label("page")
    rows = db.session.execute(
        sa.select(page, sa.func.max(Product.updated_at))
        .join(User, User.id == Product.seller_id)
        .where(_active())
        .group_by(page)
        .order_by(page)
    )
    return [(int(number), changed) for number, changed in rows]


def listing_entries(page):
    """[(id, updated_at)] of the ACTIVE public listings on `page`, by id."""
    low = page * PAGE
    return db.session.execute(
        sa.select(Product.id, Product.updated_at)
        .join(User, User.id == Product.seller_id)
        .where(Product.id > low, Product.id <= low + PAGE, _active())
        .order_by(Product.id)
    ).all()
