"""Profiles: the own profile, public seller profiles."""

import re
import unicodedata

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from memi import events
from memi.errors import Forbidden, Invalid, NotFound
from memi.extensions import db
from memi.products.models import Product
from memi.products.visibility import public_listings
from memi.statuses import ListingStatus
from memi.uploads import images as uploaded_images
from memi.uploads.images import charge_photo_uploads
from memi.uploads.storage import get_storage, new_key
from memi.users.models import LOCALES, User

PHONE_RE = re.compile(r"^\+?[0-9 ()-]{7,20}$")
PROFILE_FIELDS = ("name", "city", "phone")
SINGLE_LINE_MESSAGE = _l("Use one line of text, without control characters.")


# Zero-width (non-)joiners are format characters that real names and emoji need.
_JOINERS = {"\u200c", "\u200d"}


def has_control_characters(value):
    """True when `value` holds a line break, tab, NUL or any other control, format or surrogate
    character (Unicode categories C*, bar the joiners) or a line or paragraph separator: none of them
    belongs in a one-line field, and a line break there could forge a header in an email or a log."""
    return any(
        ch not in _JOINERS and (unicodedata.category(ch)[0] == "C" or unicodedata.category(ch) in ("Zl", "Zp"))
        for ch in value
    )


def clean_locale(value):
    """`value` when it is one of the site's languages (az, ru, en); Invalid otherwise."""
    if value not in LOCALES:
        raise Invalid(fields={"locale": [_l("Choose Azerbaijani, Russian or English.")]})
    return value


def set_locale(user, code):
    """Save the language `user` reads memi.az in (the language switch, the profile, the API)."""
    user.locale = clean_locale(code)
    db.session.flush()
    return user


def clean_profile_fields(data, require_name=False):
    """Trimmed, checked profile fields from `data` (only name, city, phone are ever taken).

    Raises Invalid with a message per bad field.
    """
    cleaned, problems = {}, {}
    for field in PROFILE_FIELDS:
        if field not in data:
            continue
        value = data[field]
        value = value.strip() if isinstance(value, str) else value
        if isinstance(value, str) and has_control_characters(value):
            problems[field] = [SINGLE_LINE_MESSAGE]
        cleaned[field] = value or None
    if require_name or "name" in cleaned:
        name = cleaned.get("name")
        if not name:
            problems["name"] = [_l("Enter your name.")]
        elif len(name) > 80:
            problems.setdefault("name", [_l("Use at most %(num)d characters.", num=80)])
    if cleaned.get("city") and len(cleaned["city"]) > 80:
        problems.setdefault("city", [_l("Use at most %(num)d characters.", num=80)])
    if cleaned.get("phone") and not PHONE_RE.match(cleaned["phone"]):
        problems.setdefault("phone", [_l("Enter a phone number like +994 50 123 45 67.")])
    if problems:
        raise Invalid(fields=problems)
    return cleaned


def update_profile(user, data):
    """Update the own profile's name, city, phone and locale; any other key in `data` is ignored.

    Raises Invalid for a bad field.
    """
    cleaned = clean_profile_fields(data)
    if "locale" in data:
        cleaned["locale"] = clean_locale(data["locale"])
    for field, value in cleaned.items():
        setattr(user, field, value)
    db.session.flush()
    return user


def set_avatar(user, data):
    """Replace the profile photo with `data` (image bytes) through the photo pipeline.

    Raises PayloadTooLarge, UnsupportedMediaType, Invalid (no file), Forbidden (blocked).
    """

    if user.is_blocked:
        raise Forbidden(_l("This account is blocked."))
    if not data:
        raise Invalid(fields={"file": [_l("Choose a photo.")]})
    charge_photo_uploads(user, 1)
    processed = uploaded_images.process_image(data)
    storage = get_storage()
    key = new_key("avatars")
    events.on_rollback(db.session, lambda: storage.delete(key))
    storage.save(key, processed.thumb, "image/webp")
    old = user.avatar_key
    user.avatar_key = key
    db.session.flush()
    if old:
        events.after_commit(db.session, lambda: storage.delete(old))
    return user


def get_public_user(user_id):
    """A seller as the public sees them. Raises NotFound for unknown and blocked users."""
    user = db.session.get(User, user_id)
    if user is None or user.is_blocked:
        raise NotFound(_l("This user does not exist."))
    return user


def active_listing_count(user):
    """How many of the user's listings the public sees for sale (ACTIVE and RESERVED)."""
    listings = public_listings((ListingStatus.ACTIVE, ListingStatus.RESERVED)).where(Product.seller_id == user.id)
    return db.session.scalar(sa.select(sa.func.count()).select_from(listings.subquery()))
