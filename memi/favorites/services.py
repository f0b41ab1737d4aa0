"""Favorites: idempotent add and remove, held by a unique constraint."""

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from memi.extensions import db
from memi.favorites.models import Favorite
from memi.products.models import Product
from memi.products.services import get_visible_product
from memi.products.visibility import public_listings


def add_favorite(user, product_id):
    """Favorite a listing; a second time is a no-op. Raises NotFound for a listing the user cannot see."""
    product = get_visible_product(user, product_id)
    insert = postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert
    added = db.session.execute(
        insert(Favorite).values(user_id=user.id, product_id=product.id).on_conflict_do_nothing()
    ).rowcount
    if added:
        db.session.execute(
            sa.update(Product).where(Product.id == product.id).values(favorite_count=Product.favorite_count + 1)
        )
    db.session.refresh(product)
    return product


def remove_favorite(user, product_id):
    """Un-favorite a listing; when it was not a favorite, nothing happens."""
    removed = db.session.execute(
        sa.delete(Favorite).where(Favorite.user_id == user.id, Favorite.product_id == product_id)
    ).rowcount
    if removed:
        db.session.execute(
            sa.update(Product)
            .where(Product.id == product_id)
            .values(
                favorite_count=sa.func.max(Product.favorite_count - 1, 0)
                if db.session.get_bind().dialect.name == "sqlite"
                else sa.func.greatest(Product.favorite_count - 1, 0)
            )
        )
    product = db.session.get(Product, product_id)
    if product is not None:
        db.session.refresh(product)
    return product


def favorite_ids(user, product_ids):
    """Which of `product_ids` the user has favorited."""
    if user is None or not getattr(user, "is_authenticated", False) or not product_ids:
        return set()
    return set(
        db.session.scalars(
            sa.select(Favorite.product_id).where(Favorite.user_id == user.id, Favorite.product_id.in_(product_ids))
        )
    )


def annotate(user, products):
    """Set `is_favorite` on each product for `user` (None when anonymous)."""
    products = list(products)
    authenticated = user is not None and getattr(user, "is_authenticated", False)
    ids = favorite_ids(user, [p.id for p in products]) if authenticated else set()
    for p in products:
        p.is_favorite = (p.id in ids) if authenticated else None
    return products


def favorites_query(user):
    """The user's favorite listings that are still visible, most recently favorited first."""
    return (
        public_listings()
        .join(Favorite, Favorite.product_id == Product.id)
        .where(Favorite.user_id == user.id)
        .order_by(Favorite.created_at.desc(), Favorite.id.desc())
    )
