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


def _email_flag(kind, description):
    return ma.fields.Boolean(data_key=kind, metadata={"description": description})


class EmailSettingsSchema(ma.Schema):
    """Which notifications also come by email (in-app ones always do). Keys are the contract's names
    (API.md, /users/me/settings); attributes are the kinds memi.notifications.services knows."""

    message = _email_flag("messages", "New chat messages (at most one email per chat every 10 minutes)")
    reservation = _email_flag("reservations", "Reservation requests and answers")
    favorite = _email_flag("favorites", "Changes to favorited listings: reserved, sold, back on sale, price drops")
    saved_search = _email_flag("saved_searches", "New listings matching a saved search")
    moderation = _email_flag("moderation", "Moderation of your listings")
    report = _email_flag("reports", "Outcomes of your reports")


class SettingsSchema(ma.Schema):
    email = ma.fields.Nested(EmailSettingsSchema, required=True)


class SettingsUpdateSchema(ma.Schema):
    email = ma.fields.Nested(EmailSettingsSchema)
