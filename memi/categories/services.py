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


# ---- admin management -------------------------------------------------------------------------


def _clean_names(model, data, current=None):
    from memi.errors import Conflict, Invalid

    name = (data.get("name") if "name" in data else (current.name if current else "")) or ""
    name = name.strip()
    if not name or len(name) > 80:
        raise Invalid(fields={"name": ["Enter a name of 1 to 80 characters."]})
    # An explicit slug wins; a new row derives it from the name; an edit keeps the old one.
    slug = slugify(data.get("slug") or (name if current is None else current.slug))
    if not slug:
        raise Invalid(fields={"slug": ["Use letters or digits in the slug."]})
    clash = db.session.scalar(sa.select(model.id).where(model.slug == slug))
    if clash is not None and (current is None or clash != current.id):
        raise Conflict("This slug is already used.", fields={"slug": ["This slug is already used."]})
    return name, slug


def create_category(actor, data):
    """Admin only. Raises Forbidden, Invalid, Conflict (slug taken)."""
    from memi.admin.services import log_action, require_admin

    require_admin(actor)
    name, slug = _clean_names(Category, data)
    position = (db.session.scalar(sa.select(sa.func.max(Category.position))) or 0) + 1
    category = Category(name=name, slug=slug, position=position)
    db.session.add(category)
    db.session.flush()
    log_action(actor, "category.create", "category", category.id, name)
    return category


def update_category(actor, category_id, data):
    from memi.admin.services import log_action, require_admin
    from memi.errors import NotFound

    require_admin(actor)
    category = db.session.get(Category, category_id)
    if category is None:
        raise NotFound("This category does not exist.")
    category.name, category.slug = _clean_names(Category, data, current=category)
    db.session.flush()
    log_action(actor, "category.update", "category", category.id, category.name)
    return category


def delete_category(actor, category_id):
    """Admin only; a category that listings use cannot be deleted (Conflict)."""
    from memi.admin.services import log_action, require_admin
    from memi.errors import Conflict, NotFound
    from memi.products.models import Product

    require_admin(actor)
    category = db.session.get(Category, category_id)
    if category is None:
        raise NotFound("This category does not exist.")
    if db.session.scalar(sa.select(Product.id).where(Product.category_id == category.id).limit(1)) is not None:
        raise Conflict("Listings use this category; move them first.")
    log_action(actor, "category.delete", "category", category.id, category.name)
    db.session.delete(category)
    db.session.flush()


def create_subcategory(actor, category_id, data):
    from memi.admin.services import log_action, require_admin
    from memi.errors import NotFound

    require_admin(actor)
    category = db.session.get(Category, category_id)
    if category is None:
        raise NotFound("This category does not exist.")
    name, slug = _clean_names(Subcategory, data)
    position = (
        db.session.scalar(sa.select(sa.func.max(Subcategory.position)).where(Subcategory.category_id == category.id))
        or 0
    ) + 1
    sub = Subcategory(category_id=category.id, name=name, slug=slug, position=position)
    db.session.add(sub)
    db.session.flush()
    log_action(actor, "subcategory.create", "subcategory", sub.id, name)
    return sub


def update_subcategory(actor, subcategory_id, data):
    from memi.admin.services import log_action, require_admin
    from memi.errors import NotFound

    require_admin(actor)
    sub = db.session.get(Subcategory, subcategory_id)
    if sub is None:
        raise NotFound("This subcategory does not exist.")
    sub.name, sub.slug = _clean_names(Subcategory, data, current=sub)
    db.session.flush()
    log_action(actor, "subcategory.update", "subcategory", sub.id, sub.name)
    return sub


def delete_subcategory(actor, subcategory_id):
    from memi.admin.services import log_action, require_admin
    from memi.errors import Conflict, NotFound
    from memi.products.models import Product

    require_admin(actor)
    sub = db.session.get(Subcategory, subcategory_id)
    if sub is None:
        raise NotFound("This subcategory does not exist.")
    if db.session.scalar(sa.select(Product.id).where(Product.subcategory_id == sub.id).limit(1)) is not None:
        raise Conflict("Listings use this subcategory; move them first.")
    log_action(actor, "subcategory.delete", "subcategory", sub.id, sub.name)
    db.session.delete(sub)
    db.session.flush()
