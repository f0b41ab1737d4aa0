import marshmallow as ma

from memi.products.schemas import ProductSummarySchema, SellerRefSchema
from memi.reservations.models import STATES
from memi.schema_fields import UTCDateTime


class ReservationSchema(ma.Schema):
    id = ma.fields.Integer()
    status = ma.fields.String(metadata={"enum": list(STATES)})
    product = ma.fields.Nested(ProductSummarySchema)
    buyer = ma.fields.Nested(SellerRefSchema)
    seller = ma.fields.Nested(SellerRefSchema)
    message = ma.fields.String(allow_none=True)
    reason = ma.fields.String(
        allow_none=True,
        metadata={
            "description": 'why it ended when no one chose it: "expired" (the hold lapsed), "relisted" (the seller'
            ' put the listing back on sale), "deleted" (the seller deleted the listing); else null'
        },
    )
    expires_at = UTCDateTime(allow_none=True)
    completed_at = UTCDateTime(
        allow_none=True, metadata={"description": "when the seller marked the held listing SOLD (the deal is done)"}
    )
    created_at = UTCDateTime()
    updated_at = UTCDateTime()


class RequestSchema(ma.Schema):
    message = ma.fields.String(validate=ma.validate.Length(max=500))


class ListArgs(ma.Schema):
    role = ma.fields.String(validate=ma.validate.OneOf(["buyer", "seller"]))
    status = ma.fields.String(validate=ma.validate.OneOf(STATES))
    page = ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=1, max=10_000))
    limit = ma.fields.Integer(load_default=20, validate=ma.validate.Range(min=1, max=100))
