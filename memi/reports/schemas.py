import marshmallow as ma

from memi.reports.models import REASONS, REPORT_STATUSES, RESOLUTION_ACTIONS, TARGET_TYPES
from memi.schema_fields import UTCDateTime


class ReportInputSchema(ma.Schema):
    target_type = ma.fields.String(required=True, validate=ma.validate.OneOf(TARGET_TYPES))
    target_id = ma.fields.Integer(required=True, validate=ma.validate.Range(min=1, max=2**31 - 1))
    reason = ma.fields.String(required=True, validate=ma.validate.OneOf(REASONS))
    details = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=1000))


class ReportSchema(ma.Schema):
    id = ma.fields.Integer()
    source = ma.fields.String()
    reporter_id = ma.fields.Integer(allow_none=True)
    target_type = ma.fields.String()
    target_id = ma.fields.Integer()
    reason = ma.fields.String()
    details = ma.fields.String(allow_none=True)
    status = ma.fields.String(metadata={"enum": list(REPORT_STATUSES)})
    resolution_action = ma.fields.String(allow_none=True)
    resolution_note = ma.fields.String(allow_none=True)
    resolved_by_id = ma.fields.Integer(allow_none=True)
    resolved_at = UTCDateTime(allow_none=True)
    created_at = UTCDateTime()


class ResolveSchema(ma.Schema):
    action = ma.fields.String(required=True, validate=ma.validate.OneOf(RESOLUTION_ACTIONS))
    note = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=1000))


class ReportListArgs(ma.Schema):
    status = ma.fields.String(validate=ma.validate.OneOf(REPORT_STATUSES))
    target_type = ma.fields.String(validate=ma.validate.OneOf(TARGET_TYPES))
    reason = ma.fields.String(validate=ma.validate.OneOf(REASONS))
    page = ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=1, max=10_000))
    limit = ma.fields.Integer(load_default=20, validate=ma.validate.Range(min=1, max=100))
