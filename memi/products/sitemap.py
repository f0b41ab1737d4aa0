"""What the sitemap lists: the ids of ACTIVE public listings with their last change, in pages of at
most 50,000 (the sitemap protocol's limit per file), read as plain rows (no ORM objects).

Pages are fixed ranges of ids: page n holds the listings with ids n*PAGE+1 .. (n+1)*PAGE. Each page is
one range scan of the primary key (keyset by id, never OFFSET), and a page's URL keeps meaning the
same listings as others are sold or added. The index needs only the lowest and highest id of an
ACTIVE listing (two probes of the primary key): it lists every range in between, which at worst
names a range whose listings are all sold (an empty, valid sitemap). It gives no lastmod per range:
that would take reading every ACTIVE row (two seconds at a million listings); each listing's own
lastmod is in its range's file."""

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
    """The page numbers from the one of the lowest ACTIVE listing's id to the highest's (a range)."""
    active = Product.status == ListingStatus.ACTIVE
    low = db.session.scalar(sa.select(Product.id).where(active).order_by(Product.id).limit(1))
    if low is None:
        return range(0)
    high = db.session.scalar(sa.select(Product.id).where(active).order_by(Product.id.desc()).limit(1))
    return range((low - 1) // PAGE, (high - 1) // PAGE + 1)


def listing_entries(page):
    """[(id, updated_at)] of the ACTIVE public listings on `page`, by id."""
    low = page * PAGE
    return db.session.execute(
        sa.select(Product.id, Product.updated_at)
        .join(User, User.id == Product.seller_id)
        .where(Product.id > low, Product.id <= low + PAGE, _active())
        .order_by(Product.id)
    ).all()
