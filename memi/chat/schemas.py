import marshmallow as ma

from memi.products.schemas import ProductSummarySchema, SellerRefSchema
from memi.schema_fields import TranslatedString, UTCDateTime


class MessageSchema(ma.Schema):
    id = ma.fields.Integer()
    chat_id = ma.fields.Integer()
    sender_id = ma.fields.Integer()
    body = ma.fields.String()
    created_at = UTCDateTime()
    warning = TranslatedString(allow_none=True, metadata={"description": "Safety warning for the recipient"})


class ChatSchema(ma.Schema):
    id = ma.fields.Integer()
    product = ma.fields.Nested(ProductSummarySchema)
    buyer = ma.fields.Nested(SellerRefSchema)
    seller = ma.fields.Nested(SellerRefSchema)
    last_message = ma.fields.Nested(MessageSchema, allow_none=True)
    unread_count = ma.fields.Integer()
    blocked = ma.fields.Boolean(
        attribute="closed",
        metadata={"description": "No new messages: either side blocked the chat, or a participant is blocked"},
    )
    blocked_by_me = ma.fields.Boolean(metadata={"description": "My own block stands (I can lift it)"})
    blocked_by_other = ma.fields.Boolean(metadata={"description": "The other side's block stands"})
    other_user_blocked = ma.fields.Boolean(
        metadata={"description": "The other person's account is blocked by moderation"}
    )


class StartChatSchema(ma.Schema):
    product_id = ma.fields.Integer(required=True, validate=ma.validate.Range(min=1, max=2**31 - 1))
    message = ma.fields.String(required=True)


class SendSchema(ma.Schema):
    body = ma.fields.String(required=True)


class CursorMetaSchema(ma.Schema):
    limit = ma.fields.Integer()
    next_before = ma.fields.Integer(
        allow_none=True,
        metadata={"description": "Pass as `before` for the next (older) page; null on the last page."},
    )


class MessagePageSchema(ma.Schema):
    """A cursor list (API.md Conventions): newest first."""

    items = ma.fields.List(ma.fields.Nested(MessageSchema))
    meta = ma.fields.Nested(CursorMetaSchema)


class MessagesArgs(ma.Schema):
    before = ma.fields.Integer(validate=ma.validate.Range(min=1, max=2**31 - 1))
    limit = ma.fields.Integer(load_default=50, validate=ma.validate.Range(min=1, max=100))
