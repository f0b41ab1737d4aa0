"""Notification pages: the list, mark read, email settings, one-click unsubscribe."""

from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from memi.extensions import csrf, db
from memi.notifications import services
from memi.notifications.texts import describe
from memi.pagination import paginate
from memi.products.forms import ActionForm
from memi.web.forms import safe_next
from memi.web.guards import login_required
from memi.web.htmx import render
from memi.web.pagination import page_arg

bp = Blueprint("notifications", __name__)

KIND_LABELS = {
    "message": _l("New messages (at most one email per conversation every 10 minutes)"),
    "reservation": _l("Reservation requests and answers"),
    "favorite": _l("Changes to items in your favorites (reserved, sold, back on sale, price drops)"),
    "moderation": _l("Moderation of your listings"),
    "report": _l("Outcomes of your reports"),
}


@bp.get("/notifications")
@login_required
def index():
    page = page_arg()
    items, meta = paginate(db.session, services.list_query(current_user), page, 30)
    rows = [(n, *describe(n)) for n in items]
    return render("notifications/index.html", rows=rows, meta=meta)


@bp.post("/notifications/<int:notification_id>/read")
@login_required
def mark_read(notification_id):
    if ActionForm().validate_on_submit():
        notification = services.mark_read(current_user, notification_id)
        db.session.commit()
        _text, url = describe(notification)
        return redirect(safe_next(request.form.get("next")) or safe_next(url) or url_for("notifications.index"))
    return redirect(url_for("notifications.index"))


@bp.post("/notifications/read-all")
@login_required
def mark_all_read():
    if ActionForm().validate_on_submit():
        services.mark_all_read(current_user)
        db.session.commit()
        flash(_("All caught up."), "success")
    return redirect(url_for("notifications.index"))


@bp.route("/settings/notifications", methods=["GET", "POST"])
@login_required
def settings():
    if request.method == "POST" and ActionForm().validate_on_submit():
        services.set_email_prefs(current_user, set(request.form.getlist("email")), kinds=KIND_LABELS)
        db.session.commit()
        flash(_("Your email settings are saved."), "success")
        return redirect(url_for("notifications.settings"))
    kinds = [(k, label, services.email_wanted(current_user, k)) for k, label in KIND_LABELS.items()]
    return render("notifications/settings.html", kinds=kinds)


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt
def unsubscribe(token):
    # GET only asks (link scanners and mail previews open every link in an email); the button POSTs.
    # The mail client's one-click POST (List-Unsubscribe-Post, RFC 8058) carries no CSRF token: the
    # signed token is the proof, and all it can do is switch one kind of email off for the user it names.
    if request.method == "GET":
        _user, kind = services.read_unsubscribe_token(token)
        return render("notifications/unsubscribe_confirm.html", label=KIND_LABELS[kind])
    _user, kind = services.unsubscribe(token)
    db.session.commit()
    return render("notifications/unsubscribed.html", label=KIND_LABELS[kind])
