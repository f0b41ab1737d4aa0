"""Profile pages: the own profile, public seller profiles."""

from flask import Blueprint, abort, flash, redirect, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from memi.errors import Invalid, PayloadTooLarge, UnsupportedMediaType
from memi.extensions import db
from memi.favorites.services import annotate
from memi.pagination import paginate
from memi.products.forms import ActionForm
from memi.products.services import seller_listings
from memi.uploads.requests import read_uploads
from memi.users import services
from memi.users.forms import ProfileForm
from memi.web.errors import domain_errors
from memi.web.guards import login_required
from memi.web.htmx import render
from memi.web.language import set_lang_cookie
from memi.web.pagination import page_arg

bp = Blueprint("users", __name__)


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def edit_profile():
    user = current_user._get_current_object()
    form = ProfileForm(obj=user)
    if form.validate_on_submit():
        with domain_errors(Invalid, form=form) as outcome:
            services.update_profile(
                user,
                {"name": form.name.data, "city": form.city.data, "phone": form.phone.data, "locale": form.locale.data},
            )
            db.session.commit()
        if not outcome.failed:
            # The message and the next page are in the language just chosen; a visitor's cookie follows.
            with force_locale(user.locale):
                flash(_("Your profile is saved."), "success")
            return set_lang_cookie(redirect(url_for("users.edit_profile")), user.locale)
    return render("users/edit_profile.html", form=form, user=user), 400 if form.errors else 200


@bp.get("/users/<int:user_id>")
def public_profile(user_id):

    user = services.get_public_user(user_id)
    page = page_arg()
    items, meta = paginate(db.session, seller_listings(user.id), page, 24)
    viewer = current_user if current_user.is_authenticated else None
    return render(
        "users/profile.html",
        seller=user,
        active_listings=meta["total"],
        products=annotate(viewer, items),
        meta=meta,
    )


@bp.post("/profile/avatar")
@login_required
def upload_avatar():

    if not ActionForm().validate_on_submit():
        abort(400)
    with domain_errors(Invalid, PayloadTooLarge, UnsupportedMediaType, flash_error=True) as outcome:
        files = read_uploads("avatar")
        services.set_avatar(current_user._get_current_object(), files[0] if files else None)
        db.session.commit()
    if not outcome.failed:
        flash(_("Your photo is updated."), "success")
    return redirect(url_for("users.edit_profile"))
