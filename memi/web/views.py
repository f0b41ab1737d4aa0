"""Site-wide pages: home."""

from flask import Blueprint

from memi.web.htmx import render

bp = Blueprint("pages", __name__)


@bp.get("/")
def home():
    from memi.categories.services import list_categories

    return render("home/index.html", categories=list_categories())
