"""/api/v1/products: listings, photos, favorites, search."""

from flask import request
from flask_babel import lazy_gettext as _l

from memi.api.core import (
    Blueprint,
    NoQueryArgs,
    PaginationArgs,
    current_api_user,
    jwt_optional,
    jwt_required,
    page_schema,
)
from memi.client_ip import client_ip
from memi.errors import Invalid
from memi.extensions import db
from memi.favorites import services as favorites
from memi.pagination import paginate
from memi.products import schemas, search, services
from memi.uploads.requests import read_uploads
from memi.users.services import get_public_user

blp = Blueprint("api_products", __name__, url_prefix="/api/v1", description="Listings and favorites")

ProductPage = page_schema(schemas.ProductSchema, "ProductPage")


def _one(product):
    favorites.annotate(current_api_user(), [product])
    return product


def _page(items, meta):
    return {"items": favorites.annotate(current_api_user(), items), "meta": meta}


@blp.get("/products")
@jwt_optional
@blp.arguments(schemas.SearchArgsSchema, location="query")
@blp.response(200, ProductPage)
def search_products(args):
    """Public search with filters, sort and pagination; only ACTIVE (or, on request, RESERVED) listings."""
    params = schemas.to_search_query(args)
    result = search.search(params)
    search.log_search(params, result, current_api_user())
    db.session.commit()
    meta = {
        "page": result.page,
        "limit": result.limit,
        "total": result.total,
        "pages": result.pages,
        "total_is_lower_bound": result.total_is_lower_bound,
    }
    return _page(result.items, meta)


@blp.post("/products")
@jwt_required
@blp.arguments(schemas.ProductCreateSchema)
@blp.response(201, schemas.ProductSchema)
def create_product(data):
    """List an item (status ACTIVE)."""
    product = services.create_product(current_api_user(), data)
    db.session.commit()
    return _one(product)


@blp.get("/products/<int:product_id>")
@jwt_optional
@blp.arguments(NoQueryArgs, location="query")
@blp.response(200, schemas.ProductSchema)
def get_product(_query, product_id):
    """One listing; a deleted or moderated one is 404 except for its owner and admins."""
    product = services.get_visible_product(current_api_user(), product_id)
    if services.record_view(product, current_api_user(), client_ip(), request.user_agent.string):
        db.session.commit()
    return _one(product)


@blp.patch("/products/<int:product_id>")
@jwt_required
@blp.arguments(schemas.ProductUpdateSchema)
@blp.response(200, schemas.ProductSchema)
def update_product(data, product_id):
    """The owner edits fields; 403 for others."""
    product = services.update_product(current_api_user(), product_id, data)
    db.session.commit()
    return _one(product)


@blp.delete("/products/<int:product_id>")
@jwt_required
@blp.response(204)
def delete_product(product_id):
    """The owner soft-deletes the listing."""
    services.delete_product(current_api_user(), product_id)
    db.session.commit()


@blp.patch("/products/<int:product_id>/status")
@jwt_required
@blp.arguments(schemas.StatusSchema)
@blp.response(200, schemas.ProductSchema)
def set_status(data, product_id):
    """ACTIVE <-> RESERVED, or SOLD (final); illegal transitions are 409."""
    product = services.set_status(current_api_user(), product_id, data["status"])
    db.session.commit()
    return _one(product)


@blp.post("/products/<int:product_id>/images")
@jwt_required
@blp.doc(requestBody={"content": {"multipart/form-data": {"schema": schemas.UploadSchema}}})
@blp.response(201, schemas.ImageSchema(many=True))
def upload_images(product_id):
    """Owner uploads photos (multipart field `files`, repeated); at most 8 per listing."""
    if not request.mimetype.startswith("multipart/form-data"):
        raise Invalid(
            _l("Send the photos as multipart/form-data in the field 'files'."), fields={"files": [_l("Required.")]}
        )
    images = services.add_images(current_api_user(), product_id, read_uploads())
    db.session.commit()
    return images


@blp.delete("/products/<int:product_id>/images/<int:image_id>")
@jwt_required
@blp.response(204)
def delete_image(product_id, image_id):
    """Owner removes a photo."""
    services.delete_image(current_api_user(), product_id, image_id)
    db.session.commit()


@blp.patch("/products/<int:product_id>/images/order")
@jwt_required
@blp.arguments(schemas.ImageOrderSchema)
@blp.response(200, schemas.ImageSchema(many=True))
def reorder_images(data, product_id):
    """Owner sets photo positions: `image_ids` lists every photo once, first to last."""
    images = services.reorder_images(current_api_user(), product_id, data["image_ids"])
    db.session.commit()
    return images


@blp.put("/products/<int:product_id>/favorite")
@jwt_required
@blp.response(204)
def add_favorite(product_id):
    """Add to favorites; idempotent."""
    favorites.add_favorite(current_api_user(), product_id)
    db.session.commit()


@blp.delete("/products/<int:product_id>/favorite")
@jwt_required
@blp.response(204)
def remove_favorite(product_id):
    """Remove from favorites; idempotent."""
    favorites.remove_favorite(current_api_user(), product_id)
    db.session.commit()


@blp.get("/users/me/favorites")
@jwt_required
@blp.arguments(PaginationArgs, location="query")
@blp.response(200, ProductPage)
def my_favorites(args):
    """The user's favorite listings, most recent first."""
    items, meta = paginate(db.session, favorites.favorites_query(current_api_user()), args["page"], args["limit"])
    return _page(items, meta)


@blp.get("/users/me/products")
@jwt_required
@blp.arguments(schemas.MyListingsArgs, location="query")
@blp.response(200, ProductPage)
def my_products(args):
    """The caller's own listings in every status but DELETED (also those moderation removed), newest
    first; `?status=` narrows to ACTIVE, RESERVED or SOLD."""
    query = services.my_listings(current_api_user(), args.get("status"))
    items, meta = paginate(db.session, query, args["page"], args["limit"])
    return _page(items, meta)


@blp.get("/users/<int:user_id>/products")
@jwt_optional
@blp.arguments(PaginationArgs, location="query")
@blp.response(200, ProductPage)
def seller_products(args, user_id):
    """A seller's ACTIVE and RESERVED listings; 404 for blocked or unknown sellers."""

    seller = get_public_user(user_id)
    items, meta = paginate(db.session, services.seller_listings(seller.id), args["page"], args["limit"])
    return _page(items, meta)
