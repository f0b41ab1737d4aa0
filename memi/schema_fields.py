"""Marshmallow fields shared by the feature schemas (below the API and the socket frames)."""

from datetime import UTC

import marshmallow as ma

from memi.i18n import translate


class UTCDateTime(ma.fields.Field):
    """An ISO 8601 UTC timestamp with a Z (2026-11-23T19:41:52Z), as the contract writes them."""

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None:
            return None
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class TranslatedString(ma.fields.String):
    """Text stored as an English message id (e.g. the chat safety warning), answered in the reader's language."""

    def _serialize(self, value, attr, obj, **kwargs):
        return translate(super()._serialize(value, attr, obj, **kwargs))
