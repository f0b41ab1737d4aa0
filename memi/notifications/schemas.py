import marshmallow as ma

from memi.schema_fields import UTCDateTime


class NotificationSchema(ma.Schema):
    id = ma.fields.Integer()
    type = ma.fields.String()
    payload = ma.fields.Dict()
    read_at = UTCDateTime(allow_none=True)
    created_at = UTCDateTime()


class ListArgs(ma.Schema):
    unread = ma.fields.Boolean(load_default=False)
    page = ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=1, max=10_000))
    limit = ma.fields.Integer(load_default=20, validate=ma.validate.Range(min=1, max=100))
