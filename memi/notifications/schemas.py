import marshmallow as ma

from memi.notifications.links import notification_url
from memi.notifications.texts import describe
from memi.schema_fields import UTCDateTime


def _text(notification):
    return describe(notification)[0]


class NotificationSchema(ma.Schema):
    id = ma.fields.Integer()
    type = ma.fields.String()
    payload = ma.fields.Dict()
    text = ma.fields.Function(_text, dump_only=True, metadata={"description": "The notification in one line."})
    url = ma.fields.Function(
        notification_url, dump_only=True, metadata={"description": "The site path it leads to, e.g. /products/12."}
    )
    read_at = UTCDateTime(allow_none=True)
    created_at = UTCDateTime()


class ListArgs(ma.Schema):
    unread = ma.fields.Boolean(load_default=False)
    page = ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=1, max=10_000))
    limit = ma.fields.Integer(load_default=20, validate=ma.validate.Range(min=1, max=100))
