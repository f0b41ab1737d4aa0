"""API shapes of listings and their query parameters."""

import marshmallow as ma
from flask_babel import lazy_gettext as _l

from memi.categories.schemas import local_name_field
from memi.limits import BRAND_MAX, CITY_MAX, COLOR_MAX, MAX_PRICE, SIZE_MAX
from memi.products.models import CONDITIONS
from memi.products.search import SEARCHABLE_STATUSES, SORTS, SearchQuery
from memi.schema_fields import UTCDateTime
from memi.statuses import OWNER_SETTABLE, ListingStatus
from memi.uploads.urls import media_url

ISO = "%Y-%m-%dT%H:%M:%SZ"


class CategoryRefSchema(ma.Schema):
    id = ma.fields.Integer()
    slug = ma.fields.String()
    name = local_name_field()


class ImageSchema(ma.Schema):
    id = ma.fields.Integer()
    url = ma.fields.Function(lambda img: media_url(img.key))
    thumb_url = ma.fields.Function(lambda img: media_url(img.thumb_key))
    width = ma.fields.Integer()
    height = ma.fields.Integer()
    position = ma.fields.Integer()


class SellerRefSchema(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    avatar_url = ma.fields.Function(lambda u: media_url(u.avatar_key), allow_none=True)
    city = ma.fields.String(allow_none=True)


class ProductSchema(ma.Schema):
    id = ma.fields.Integer()
    title = ma.fields.String()
    description = ma.fields.String()
    price = ma.fields.Decimal(as_string=True, places=2, metadata={"example": "45.00"})
    condition = ma.fields.String(metadata={"enum": list(CONDITIONS)})
    category = ma.fields.Nested(CategoryRefSchema)
    subcategory = ma.fields.Nested(CategoryRefSchema, allow_none=True)
    size = ma.fields.String(allow_none=True)
    color = ma.fields.String(allow_none=True)
    brand = ma.fields.String(allow_none=True)
    material = ma.fields.String(allow_none=True)
    city = ma.fields.String(allow_none=True)
    status = ma.fields.String(metadata={"enum": [s.value for s in ListingStatus]})
    images = ma.fields.List(ma.fields.Nested(ImageSchema))
    seller = ma.fields.Nested(SellerRefSchema)
    favorite_count = ma.fields.Integer()
    is_favorite = ma.fields.Boolean(
        allow_none=True, metadata={"description": "Present when the request is authenticated."}
    )
    created_at = UTCDateTime()
    updated_at = UTCDateTime()

    @ma.post_dump(pass_original=True)
    def _favorite_only_when_known(self, data, original, **kwargs):
        if getattr(original, "is_favorite", None) is None:
            data.pop("is_favorite", None)
        return data


class ProductSummarySchema(ma.Schema):
    """A listing as other resources show it (chats, reservations)."""

    id = ma.fields.Integer()
    title = ma.fields.String()
    price = ma.fields.Decimal(as_string=True, places=2)
    status = ma.fields.String()
    images = ma.fields.List(ma.fields.Nested(ImageSchema))


class PriceField(ma.fields.Field):
    """A price as a decimal string ("45.00") or a number; checked by the service."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise ma.ValidationError(_l('Enter a price like "45.00".'))
        return str(value)


class RefField(ma.fields.Field):
    """An id or a slug."""

    def _deserialize(self, value, attr, data, **kwargs):
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise ma.ValidationError(_l("Give an id or a slug."))
        return value


class ProductCreateSchema(ma.Schema):
    title = ma.fields.String(required=True)
    description = ma.fields.String(load_default="")
    price = PriceField(required=True, metadata={"type": "string", "example": "45.00"})
    condition = ma.fields.String(required=True, metadata={"enum": list(CONDITIONS)})
    category = RefField(required=True, metadata={"description": "id or slug", "type": "string"})
    subcategory = RefField(allow_none=True, metadata={"description": "id or slug", "type": "string"})
    size = ma.fields.String(allow_none=True)
    color = ma.fields.String(allow_none=True)
    brand = ma.fields.String(allow_none=True)
    material = ma.fields.String(allow_none=True)
    city = ma.fields.String(allow_none=True)


class ProductUpdateSchema(ProductCreateSchema):
    title = ma.fields.String()
    description = ma.fields.String()
    price = PriceField(metadata={"type": "string", "example": "45.00"})
    condition = ma.fields.String(metadata={"enum": list(CONDITIONS)})
    category = RefField(metadata={"description": "id or slug", "type": "string"})


class MyListingsArgs(ma.Schema):
    """Query parameters of GET /users/me/products."""

    status = ma.fields.String(
        validate=ma.validate.OneOf([s.value for s in ListingStatus if s != ListingStatus.DELETED])
    )
    page = ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=1, max=10_000))
    limit = ma.fields.Integer(load_default=20, validate=ma.validate.Range(min=1, max=100))


class StatusSchema(ma.Schema):
    status = ma.fields.String(required=True, validate=ma.validate.OneOf([s.value for s in OWNER_SETTABLE]))


class ImageOrderSchema(ma.Schema):
    image_ids = ma.fields.List(ma.fields.Integer(), required=True, validate=ma.validate.Length(min=1, max=8))


class UploadSchema(ma.Schema):
    files = ma.fields.List(ma.fields.Raw(metadata={"type": "string", "format": "binary"}))


PRICE_BOUND_DOC = {"minimum": 0, "maximum": int(MAX_PRICE)}


def _price_bound(value):
    # A plain function rather than Range: Range on a Decimal field documents its bounds as strings.
    if not value.is_finite() or value < 0 or value > MAX_PRICE:
        most = format(MAX_PRICE, ".0f")
        raise ma.ValidationError(_l("Must be between 0 and %(max)s.", max=most))


class SearchArgsSchema(ma.Schema):
    """Query parameters of GET /products (and of the browse page)."""

    q = ma.fields.String(validate=ma.validate.Length(max=200))
    category = ma.fields.String(validate=ma.validate.Length(max=80))
    subcategory = ma.fields.String(validate=ma.validate.Length(max=80))
    condition = ma.fields.List(ma.fields.String(validate=ma.validate.OneOf(CONDITIONS)))
    size = ma.fields.String(validate=ma.validate.Length(max=SIZE_MAX))
    brand = ma.fields.String(validate=ma.validate.Length(max=BRAND_MAX))
    color = ma.fields.String(validate=ma.validate.Length(max=COLOR_MAX))
    city = ma.fields.String(validate=ma.validate.Length(max=CITY_MAX))
    min_price = ma.fields.Decimal(places=2, validate=_price_bound, metadata=PRICE_BOUND_DOC)
    max_price = ma.fields.Decimal(places=2, validate=_price_bound, metadata=PRICE_BOUND_DOC)
    seller = ma.fields.Integer(validate=ma.validate.Range(min=1, max=2**31 - 1))
    status = ma.fields.List(ma.fields.String(validate=ma.validate.OneOf([s.value for s in SEARCHABLE_STATUSES])))
    sort = ma.fields.String(validate=ma.validate.OneOf(SORTS))
    page = ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=1, max=10_000))
    limit = ma.fields.Integer(load_default=20, validate=ma.validate.Range(min=1, max=100))

    @ma.validates_schema
    def _price_range(self, data, **kwargs):
        low, high = data.get("min_price"), data.get("max_price")
        if low is not None and high is not None and low > high:
            raise ma.ValidationError(_l("Must not be above max_price."), "min_price")


def to_search_query(args):
    """A SearchQuery from loaded SearchArgsSchema data."""

    return SearchQuery(
        q=args.get("q"),
        category=args.get("category"),
        subcategory=args.get("subcategory"),
        conditions=args.get("condition") or [],
        size=args.get("size"),
        brand=args.get("brand"),
        color=args.get("color"),
        city=args.get("city"),
        min_price=args.get("min_price"),
        max_price=args.get("max_price"),
        seller=args.get("seller"),
        statuses=sorted(set(args.get("status") or [ListingStatus.ACTIVE])),
        sort=args.get("sort"),
        page=args.get("page", 1),
        limit=args.get("limit", 20),
    )
