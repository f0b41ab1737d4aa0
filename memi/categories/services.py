"""The category taxonomy."""

import re
import unicodedata

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from memi.categories.models import Category, Subcategory
from memi.categories.taxonomy import TAXONOMY
from memi.extensions import db


def slugify(text):
    text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    text = text.replace("'", "")
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def list_categories():
    """Every category with its subcategories, in display order."""
    return db.session.scalars(
        sa.select(Category).options(selectinload(Category.subcategories)).order_by(Category.position, Category.id)
    ).all()


def seed_taxonomy():
    """Insert the taxonomy's missing categories and subcategories; idempotent. Returns how many rows
    were added."""
    added = 0
    existing = {c.slug: c for c in db.session.scalars(sa.select(Category))}
    existing_subs = set(db.session.scalars(sa.select(Subcategory.slug)))
    for position, (name, slug, subs) in enumerate(TAXONOMY):
        category = existing.get(slug)
        if category is None:
            category = Category(name=name, slug=slug, position=position)
            db.session.add(category)
            db.session.flush()
            added += 1
        for sub_position, (sub_name, sub_slug) in enumerate(subs):
            if sub_slug in existing_subs:
                continue
            db.session.add(Subcategory(category_id=category.id, name=sub_name, slug=sub_slug, position=sub_position))
            existing_subs.add(sub_slug)
            added += 1
    db.session.flush()
    return added
