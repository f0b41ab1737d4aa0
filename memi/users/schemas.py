"""API shapes of users."""

import marshmallow as ma

from memi.schema_fields import UTCDateTime
from memi.uploads.urls import media_url
from memi.users.models import LOCALES
from memi.users.services import active_listing_count


class PrivateUserSchema(ma.Schema):
    id = ma.fields.Integer()
    email = ma.fields.String()
    name = ma.fields.String()
    avatar_url = ma.fields.Method("get_avatar_url", allow_none=True)
    city = ma.fields.String(allow_none=True)
    phone = ma.fields.String(allow_none=True)
    role = ma.fields.String()
    locale = ma.fields.String(metadata={"description": "The language of the account: az, ru or en."})
    created_at = UTCDateTime()

    def get_avatar_url(self, user):
        return media_url(user.avatar_key)


class PublicUserSchema(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    avatar_url = ma.fields.Method("get_avatar_url", allow_none=True)
    city = ma.fields.String(allow_none=True)
    created_at = UTCDateTime()
    active_listings = ma.fields.Method("get_active_listings")

    def get_avatar_url(self, user):
        return media_url(user.avatar_key)

    def get_active_listings(self, user):

        return active_listing_count(user)


class ProfileUpdateSchema(ma.Schema):
    name = ma.fields.String(validate=ma.validate.Length(min=1, max=80))
    city = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=80))
    phone = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=32))
    locale = ma.fields.String(
        validate=ma.validate.OneOf(LOCALES), metadata={"description": "The account's language: az, ru or en."}
    )


class NoQueryArgs(ma.Schema):
    """No query parameters: an unknown one is a 400 (the API parser refuses unknown query keys)."""
