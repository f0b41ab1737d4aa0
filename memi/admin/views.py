"""The back office (/admin): category and subcategory management so far."""

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from memi.categories import services as categories
from memi.errors import Conflict, Invalid, NotFound
from memi.extensions import db
from memi.products.forms import ActionForm
from memi.web.guards import admin_required
from memi.web.htmx import render

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/categories")
@admin_required
def category_list():
    return render("admin/categories.html", categories=categories.list_categories())


ACTIONS = {
    "create-category": lambda actor, f: categories.create_category(
        actor, {"name": f.get("name"), "slug": f.get("slug")}
    ),
    "rename-category": lambda actor, f: categories.update_category(
        actor, f.get("id", type=int), {"name": f.get("name")} | ({"slug": f["slug"]} if f.get("slug") else {})
    ),
    "delete-category": lambda actor, f: categories.delete_category(actor, f.get("id", type=int)),
    "create-subcategory": lambda actor, f: categories.create_subcategory(
        actor, f.get("category_id", type=int), {"name": f.get("name"), "slug": f.get("slug")}
    ),
    "rename-subcategory": lambda actor, f: categories.update_subcategory(
        actor, f.get("id", type=int), {"name": f.get("name")} | ({"slug": f["slug"]} if f.get("slug") else {})
    ),
    "delete-subcategory": lambda actor, f: categories.delete_subcategory(actor, f.get("id", type=int)),
}


@bp.post("/categories")
@admin_required
def category_action():
    if not ActionForm().validate_on_submit():
        abort(400)
    action = ACTIONS.get(request.form.get("action", ""))
    if action is None:
        abort(400)
    try:
        action(current_user, request.form)
        db.session.commit()
        flash(_("Saved."), "success")
    except (Invalid, Conflict, NotFound) as exc:
        db.session.rollback()
        flash(" ".join(sum(exc.fields.values(), [])) if exc.fields else exc.message, "error")
    return redirect(url_for("admin.category_list"))
