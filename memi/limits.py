"""Listing and photo limits, defined once: the model's columns, the sell form, the API schemas, the
services and the photo pipeline all read them from here.

Changing a text length here changes a column's declared length too: that needs a migration.
"""

from datetime import timedelta
from decimal import Decimal

from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l

# Listing text: (least, most) characters after trimming.
TITLE_MIN, TITLE_MAX = 3, 120
DESCRIPTION_MAX = 5000
SIZE_MAX = 20
COLOR_MAX = 30
BRAND_MAX = 60
MATERIAL_MAX = 60
CITY_MAX = 80
TEXT_LIMITS = {
    "title": (TITLE_MIN, TITLE_MAX),
    "description": (0, DESCRIPTION_MAX),
    "size": (0, SIZE_MAX),
    "color": (0, COLOR_MAX),
    "brand": (0, BRAND_MAX),
    "material": (0, MATERIAL_MAX),
    "city": (0, CITY_MAX),
}

# A price is more than 0 and less than MAX_PRICE (AZN), with at most PRICE_PLACES decimal places.
MAX_PRICE = Decimal("1000000")
PRICE_PLACES = 2

# Photos of one listing.
MAX_IMAGES = 8

# Bytes of one uploaded photo (listing photo or avatar); the MAX_IMAGE_BYTES setting overrides it.
DEFAULT_MAX_IMAGE_BYTES = 10 * 1024 * 1024


def max_image_bytes():
    """The most bytes one uploaded photo may have: the app's MAX_IMAGE_BYTES, else the default."""
    value = current_app.config.get("MAX_IMAGE_BYTES") if has_app_context() else None
    return int(value) if value else DEFAULT_MAX_IMAGE_BYTES


def photo_too_large_message(max_bytes):
    size = format(max_bytes / (1024 * 1024), "g")
    return _l("Each photo can be at most %(size)s MB.", size=size)


# Photos chosen on a listing form that is not saved yet (drafts) are kept this long for their owner.
DEFAULT_PHOTO_DRAFT_HOURS = 24


def photo_draft_lifetime():
    """How long a photo draft lives: the app's PHOTO_DRAFT_HOURS, else a day."""
    value = current_app.config.get("PHOTO_DRAFT_HOURS") if has_app_context() else None
    return timedelta(hours=float(value) if value else DEFAULT_PHOTO_DRAFT_HOURS)
