"""/api/v1/categories and /api/v1/subcategories."""

from memi.api.core import Blueprint, NoQueryArgs, current_api_user, jwt_required
from memi.categories import schemas, services
from memi.extensions import db

blp = Blueprint("api_categories", __name__, url_prefix="/api/v1", description="Categories")


@blp.get("/categories")
@blp.arguments(NoQueryArgs, location="query")
@blp.response(200, schemas.CategorySchema(many=True))
def list_categories(_query):
    """The category tree; `name` is in the language of Accept-Language, `name_az`, `name_ru` and
    `name_en` are there for every language."""
    # The answer depends on Accept-Language: a shared cache must not give one reader's names to another.
    return services.list_categories(), 200, {"Vary": "Accept-Language"}


@blp.post("/categories")
@jwt_required
@blp.arguments(schemas.CategoryInputSchema)
@blp.response(201, schemas.CategorySchema)
def create_category(data):
    """Admin only; `name_az`, `name_ru` and `name_en` (or `name`) are required; the slug is derived from
    the English name when absent."""
    category = services.create_category(current_api_user(), data)
    db.session.commit()
    return category


@blp.patch("/categories/<int:category_id>")
@jwt_required
@blp.arguments(schemas.CategoryPatchSchema)
@blp.response(200, schemas.CategorySchema)
def update_category(data, category_id):
    """Admin only."""
    category = services.update_category(current_api_user(), category_id, data)
    db.session.commit()
    return category


@blp.delete("/categories/<int:category_id>")
@jwt_required
@blp.response(204)
def delete_category(category_id):
    """Admin only; 409 while listings use it."""
    services.delete_category(current_api_user(), category_id)
    db.session.commit()


@blp.post("/categories/<int:category_id>/subcategories")
@jwt_required
@blp.arguments(schemas.CategoryInputSchema)
@blp.response(201, schemas.SubcategorySchema)
def create_subcategory(data, category_id):
    """Admin only."""
    sub = services.create_subcategory(current_api_user(), category_id, data)
    db.session.commit()
    return sub


@blp.patch("/subcategories/<int:subcategory_id>")
@jwt_required
@blp.arguments(schemas.CategoryPatchSchema)
@blp.response(200, schemas.SubcategorySchema)
def update_subcategory(data, subcategory_id):
    """Admin only."""
    sub = services.update_subcategory(current_api_user(), subcategory_id, data)
    db.session.commit()
    return sub


@blp.delete("/subcategories/<int:subcategory_id>")
@jwt_required
@blp.response(204)
def delete_subcategory(subcategory_id):
    """Admin only; 409 while listings use it."""
    services.delete_subcategory(current_api_user(), subcategory_id)
    db.session.commit()
