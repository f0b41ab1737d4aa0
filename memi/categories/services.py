"""The category taxonomy."""

import re
import unicodedata

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from memi.audit import log_action, require_admin
from memi.categories.models import Category, Subcategory
from memi.categories.taxonomy import TAXONOMY
from memi.errors import Conflict, Invalid, NotFound
from memi.extensions import db
from memi.products.models import Product

_LETTERS = str.maketrans({"ə": "e", "Ə": "e", "ı": "i"})


def slugify(text):
    """Lowercase ASCII letters and digits joined by dashes ("Vintage & retro" -> "vintage-retro").
    Never digits alone: `category=2024` means the category with id 2024 (find_by_id_or_slug), so a
    category named "2024" gets the slug "c-2024"."""
    # Azerbaijani letters NFKD cannot take apart would vanish otherwise ("Çəkmələr" -> "ckmlr").
    text = (text or "").translate(_LETTERS)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = text.replace("'", "")
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return f"c-{slug}" if slug.isdigit() else slug


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

    name = (data.get("name") if "name" in data else (current.name if current else "")) or ""
    name = name.strip()
    if not name or len(name) > 80:
        raise Invalid(fields={"name": [_l("Enter a name of 1 to 80 characters.")]})
    # An explicit slug wins; a new row derives it from the name; an edit keeps the old one.
    slug = slugify(data.get("slug") or (name if current is None else current.slug))
    if not slug:
        raise Invalid(fields={"slug": [_l("Use letters or digits in the slug.")]})
    clash = db.session.scalar(sa.select(model.id).where(model.slug == slug))
    if clash is not None and (current is None or clash != current.id):
        raise Conflict(_l("This slug is already used."), fields={"slug": [_l("This slug is already used.")]})
    return name, slug


def _get(model, row_id):

    row = db.session.get(model, row_id)
    if row is None:
        raise NotFound(
            _l("This category does not exist.") if model is Category else _l("This subcategory does not exist.")
        )
    return row


def _create(actor, model, data, **fields):

    require_admin(actor)
    name, slug = _clean_names(model, data)
    siblings = sa.select(sa.func.max(model.position))
    if "category_id" in fields:
        siblings = siblings.where(model.category_id == fields["category_id"])
    row = model(name=name, slug=slug, position=(db.session.scalar(siblings) or 0) + 1, **fields)
    db.session.add(row)
    db.session.flush()
    log_action(actor, f"{model.__name__.lower()}.create", model.__name__.lower(), row.id, name)
    return row


def _update(actor, model, row_id, data):

    require_admin(actor)
    row = _get(model, row_id)
    row.name, row.slug = _clean_names(model, data, current=row)
    db.session.flush()
    log_action(actor, f"{model.__name__.lower()}.update", model.__name__.lower(), row.id, row.name)
    return row


def _delete(actor, model, row_id, listing_column):
    """Admin only; a (sub)category that listings use cannot be deleted (Conflict)."""

    require_admin(actor)
    row = _get(model, row_id)
    if db.session.scalar(sa.select(Product.id).where(getattr(Product, listing_column) == row.id).limit(1)):
        raise Conflict(
            _l("Listings use this category; move them first.")
            if model is Category
            else _l("Listings use this subcategory; move them first.")
        )
    log_action(actor, f"{model.__name__.lower()}.delete", model.__name__.lower(), row.id, row.name)
    db.session.delete(row)
    db.session.flush()


def create_category(actor, data):
    """Admin only. Raises Forbidden, Invalid, Conflict (slug taken)."""
    return _create(actor, Category, data)


def update_category(actor, category_id, data):
    """Admin only. Raises Forbidden, NotFound, Invalid, Conflict (slug taken)."""
    return _update(actor, Category, category_id, data)


def delete_category(actor, category_id):
    """Admin only. Raises Forbidden, NotFound, Conflict (listings use it)."""
    _delete(actor, Category, category_id, "category_id")


def create_subcategory(actor, category_id, data):
    """Admin only. Raises Forbidden, NotFound (category), Invalid, Conflict (slug taken)."""
    return _create(actor, Subcategory, data, category_id=_get(Category, category_id).id)


def update_subcategory(actor, subcategory_id, data):
    """Admin only. Raises Forbidden, NotFound, Invalid, Conflict (slug taken)."""
    return _update(actor, Subcategory, subcategory_id, data)


def delete_subcategory(actor, subcategory_id):
    """Admin only. Raises Forbidden, NotFound, Conflict (listings use it)."""
    _delete(actor, Subcategory, subcategory_id, "subcategory_id")


def find_by_id_or_slug(model, value):
    """A category or subcategory named by id (int or digits) or by slug; None when there is none.
    Unambiguous because no slug is digits alone (slugify)."""
    if value in (None, ""):
        return None
    if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
        number = int(value)
        return db.session.get(model, number) if 0 < number < 2**31 else None  # no integer overflow
    return db.session.scalar(sa.select(model).where(model.slug == str(value)))
