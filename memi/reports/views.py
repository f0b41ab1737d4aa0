"""The report form for listings, profiles and chats: an htmx dialog on the page it is opened from (the
form partial in, the confirmation or the form with its errors back in place), and a plain page with
POST + redirect for browsers without JavaScript."""

from flask import Blueprint, abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from memi.errors import Conflict, Forbidden, Invalid, NotFound, RateLimited
from memi.extensions import db
from memi.products.forms import ActionForm
from memi.reports import services
from memi.reports.models import TARGET_TYPES
from memi.web.errors import domain_errors, error_text
from memi.web.forms import safe_next
from memi.web.guards import login_required
from memi.web.htmx import is_htmx

bp = Blueprint("reports", __name__)

REASON_LABELS = [
    ("FRAUD", _l("Scam or fraud")),
    ("COUNTERFEIT", _l("Counterfeit")),
    ("PROHIBITED_ITEM", _l("Prohibited item")),
    ("OFFENSIVE", _l("Offensive content")),
    ("SPAM", _l("Spam")),
    ("OTHER", _l("Something else")),
]


def _answer(status=200, headers=None, **context):
    """The dialog's partial for htmx (always 200, so that htmx swaps it in), else the whole page."""
    dialog = is_htmx()
    context.setdefault("form", request.form if request.method == "POST" else {})
    context.setdefault("field_errors", {})
    template = "reports/_form.html" if dialog else "reports/form.html"
    response = make_response(render_template(template, in_dialog=dialog, reasons=REASON_LABELS, **context))
    response.status_code = 200 if dialog else status
    response.vary.add("HX-Request")
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


@bp.route("/report/<target_type>/<int:target_id>", methods=["GET", "POST"])
@login_required
def report(target_type, target_id):
    if target_type not in TARGET_TYPES:
        abort(404)
    back = safe_next(request.values.get("next")) or url_for("products.home")
    page = {"target_type": target_type, "target_id": target_id, "back": back}
    if request.method == "GET":
        with domain_errors(NotFound, Invalid, Forbidden) as outcome:
            services.check_reportable(current_user, target_type, target_id)
        if isinstance(outcome.error, NotFound):
            abort(404)
        if outcome.failed:
            return _answer(403, error=error_text(outcome.error), refused=True, **page)
        return _answer(**page)

    if not ActionForm().validate_on_submit():
        abort(400)
    with domain_errors(NotFound, Conflict, Invalid, Forbidden, RateLimited) as outcome:
        services.create_report(
            current_user, target_type, target_id, request.form.get("reason"), request.form.get("details")
        )
        db.session.commit()
    exc = outcome.error
    if isinstance(exc, NotFound):
        abort(404)
    if isinstance(exc, Conflict):  # already reported: nothing more to do
        if is_htmx():
            return _answer(done=exc.message, **page)
        flash(str(exc.message), "info")
        return redirect(back)
    if isinstance(exc, RateLimited):
        return _answer(429, exc.headers, error=exc.message, **page)
    if outcome.failed:  # Invalid (400, messages by field) or Forbidden (403, the form is not offered)
        return _answer(exc.status, error=error_text(exc), field_errors=exc.fields, refused=exc.status == 403, **page)
    thanks = _("Thank you. Our team will look at it soon.")
    if is_htmx():
        return _answer(done=thanks, **page)
    flash(thanks, "success")
    return redirect(back)
