"""Marshmallow fields shared by the feature schemas (below the API and the socket frames)."""

from datetime import UTC

import marshmallow as ma


class UTCDateTime(ma.fields.Field):
    """An ISO 8601 UTC timestamp with a Z (2026-11-23T19:41:52Z), as the contract writes them."""

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None:
            return None
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
