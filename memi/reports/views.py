"""The report form for listings, profiles and chats (a small page; boosted by htmx)."""

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from memi.errors import Conflict, Forbidden, Invalid, NotFound, RateLimited
from memi.extensions import db
from memi.reports import services
from memi.reports.models import TARGET_TYPES
from memi.web.forms import safe_next
from memi.web.guards import login_required
from memi.web.htmx import render

bp = Blueprint("reports", __name__)

REASON_LABELS = [
    ("FRAUD", _l("Scam or fraud")),
    ("COUNTERFEIT", _l("Counterfeit")),
    ("PROHIBITED_ITEM", _l("Prohibited item")),
    ("OFFENSIVE", _l("Offensive content")),
    ("SPAM", _l("Spam")),
    ("OTHER", _l("Something else")),
]


@bp.route("/report/<target_type>/<int:target_id>", methods=["GET", "POST"])
@login_required
def report(target_type, target_id):
    if target_type not in TARGET_TYPES:
        abort(404)
    back = safe_next(request.values.get("next")) or url_for("products.home")
    error = None
    if request.method == "POST":
        from memi.products.forms import ActionForm

        if not ActionForm().validate_on_submit():
            abort(400)
        try:
            services.create_report(
                current_user, target_type, target_id, request.form.get("reason"), request.form.get("details")
            )
            db.session.commit()
        except Conflict as exc:
            db.session.rollback()
            flash(exc.message, "info")
            return redirect(back)
        except (Invalid, Forbidden, RateLimited) as exc:
            db.session.rollback()
            error = " ".join(sum(exc.fields.values(), [])) if getattr(exc, "fields", None) else exc.message
        except NotFound:
            abort(404)
        else:
            flash(_("Thank you. Our team will look at it soon."), "success")
            return redirect(back)
    return render(
        "reports/form.html", target_type=target_type, target_id=target_id, reasons=REASON_LABELS, back=back, error=error
    ), 400 if error else 200
