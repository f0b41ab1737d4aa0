import marshmallow as ma

from memi.schema_fields import UTCDateTime
from memi.statuses import Role
from memi.users.schemas import PrivateUserSchema


class AdminUserSchema(PrivateUserSchema):
    is_blocked = ma.fields.Boolean()
    blocked_at = UTCDateTime(allow_none=True)
    blocked_reason = ma.fields.String(allow_none=True)


class ReasonSchema(ma.Schema):
    reason = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=500))


class RoleSchema(ReasonSchema):
    role = ma.fields.String(required=True, validate=ma.validate.OneOf([Role.USER.value, Role.ADMIN.value]))


class UserListArgs(ma.Schema):
    q = ma.fields.String(validate=ma.validate.Length(max=100))
    blocked = ma.fields.Boolean()
    page = ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=1, max=10_000))
    limit = ma.fields.Integer(load_default=20, validate=ma.validate.Range(min=1, max=100))


class ActionSchema(ma.Schema):
    id = ma.fields.Integer()
    admin_id = ma.fields.Integer()
    action = ma.fields.String()
    target_type = ma.fields.String()
    target_id = ma.fields.Integer()
    reason = ma.fields.String(allow_none=True)
    created_at = UTCDateTime()


class ActionListArgs(ma.Schema):
    admin_id = ma.fields.Integer(validate=ma.validate.Range(min=1, max=2**31 - 1))
    action = ma.fields.String(validate=ma.validate.Length(max=40))
    target_type = ma.fields.String(validate=ma.validate.Length(max=20))
    target_id = ma.fields.Integer(validate=ma.validate.Range(min=1, max=2**31 - 1))
    page = ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=1, max=10_000))
    limit = ma.fields.Integer(load_default=20, validate=ma.validate.Range(min=1, max=100))


class DayCountSchema(ma.Schema):
    day = ma.fields.String(metadata={"format": "date"})
    count = ma.fields.Integer()


class FunnelSchema(ma.Schema):
    listed = ma.fields.Integer()
    with_chat = ma.fields.Integer()
    with_reservation = ma.fields.Integer()
    sold = ma.fields.Integer()


class AnalyticsSchema(ma.Schema):
    """GET /admin/analytics: totals, 30-day series (oldest day first, UTC days) and the sales funnel."""

    users = ma.fields.Integer()
    new_users_per_day = ma.fields.List(ma.fields.Nested(DayCountSchema))
    listings_by_status = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Integer())
    new_listings_per_day = ma.fields.List(ma.fields.Nested(DayCountSchema))
    chats = ma.fields.Integer()
    new_chats_per_day = ma.fields.List(ma.fields.Nested(DayCountSchema))
    new_chats_30d = ma.fields.Integer()
    messages = ma.fields.Integer()
    new_messages_per_day = ma.fields.List(ma.fields.Nested(DayCountSchema))
    new_messages_30d = ma.fields.Integer()
    reservations_by_state = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Integer())
    open_reports = ma.fields.Integer()
    median_hours_to_resolve = ma.fields.Float(allow_none=True)
    funnel = ma.fields.Nested(FunnelSchema)
