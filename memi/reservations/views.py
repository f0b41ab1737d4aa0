"""Reservation pages: request from the product page; the seller's Accept/Reject; the buyer's Cancel."""

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from memi.errors import Conflict, Forbidden
from memi.extensions import db
from memi.pagination import paginate
from memi.products.forms import ActionForm
from memi.reservations import services
from memi.web.errors import domain_errors
from memi.web.guards import login_required
from memi.web.htmx import is_htmx, render, toast_header
from memi.web.pagination import page_arg

bp = Blueprint("reservations", __name__)


@bp.post("/products/<int:product_id>/reserve")
@login_required
def request_reservation(product_id):
    if not ActionForm().validate_on_submit():
        abort(400)
    with domain_errors(Conflict, Forbidden, flash_error=True):
        services.request_reservation(current_user, product_id, request.form.get("message"))
        db.session.commit()
        flash(_("Request sent. The seller will answer soon."), "success")
    return redirect(url_for("products.detail", product_id=product_id))


@bp.get("/reservations")
@login_required
def index():
    role = request.args.get("role") if request.args.get("role") in ("buyer", "seller") else "seller"
    page = page_arg()
    items, meta = paginate(db.session, services.list_query(current_user, role), page, 30)
    return render("reservations/index.html", reservations=items, meta=meta, role=role, action_form=ActionForm())


ACTIONS = {
    "accept": services.accept,
    "reject": services.reject,
    "cancel": services.cancel,
    "extend": services.extend_reservation,
}
DONE = {
    "accept": _l("Accepted: the item is reserved."),
    "reject": _l("Request declined."),
    "cancel": _l("Reservation cancelled."),
    "extend": _l("Hold extended."),
}


@bp.post("/reservations/<int:reservation_id>/<any(accept, reject, cancel, extend):action>")
@login_required
def transition(reservation_id, action):
    if not ActionForm().validate_on_submit():
        abort(400)
    with domain_errors(Conflict, Forbidden) as outcome:
        reservation = ACTIONS[action](current_user, reservation_id)
        db.session.commit()
        message = str(DONE[action])
    if outcome.failed:
        partial = render("reservations/_gone.html") if is_htmx() else None
        return outcome.flash_or_toast(request.referrer or url_for("reservations.index"), partial)
    if is_htmx():
        role = "seller" if reservation.seller_id == current_user.id else "buyer"
        response = render("reservations/_row.html", r=reservation, role=role, action_form=ActionForm())
        return toast_header(response, message)
    flash(message, "success")
    return redirect(request.referrer or url_for("reservations.index"))
