"""The back office (/admin): category and subcategory management so far."""

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from memi.categories import services as categories
from memi.categories.models import NAME_MAX
from memi.chat.models import Chat, Message
from memi.errors import Conflict, Invalid, NotFound
from memi.extensions import db
from memi.jobs import runner as job_runner
from memi.jobs import services as job_services
from memi.jobs import tasks as job_tasks
from memi.labels import LABELS
from memi.products.forms import ActionForm
from memi.products.models import Product
from memi.reports.models import Report
from memi.statuses import ReportStatus, Role
from memi.users.models import User
from memi.web.errors import domain_errors
from memi.web.guards import admin_required
from memi.web.htmx import render
from memi.web.pagination import page_arg

bp = Blueprint("admin", __name__, url_prefix="/admin")

# What each periodic job is called on the jobs page (its code name shows beside it, in the logs' terms).
JOB_TITLES = {
    "email-outbox": _l("Email outbox"),
    "media-sweep": _l("Unused photo clean-up"),
    "reservation-expiry": _l("Lapsed reservations"),
}

# The setting a job's description speaks of, shown beside it as it is written in the configuration.
JOB_SETTINGS = {"media-sweep": "MEDIA_SWEEP_AGE_HOURS"}

# What each periodic job does, for the jobs page (the task's docstring is the English original).
JOB_DESCRIPTIONS = {
    "email-outbox": _l("Send the email that is due from the outbox."),
    "media-sweep": _l("Delete photo files that no listing or profile uses, once they are older than the set age."),
    "reservation-expiry": _l(
        "Cancel the reservation holds that have lapsed (the listing goes back on sale; both sides are told)."
    ),
}


@bp.get("/categories")
@admin_required
def category_list():
    return render("admin/categories.html", categories=categories.list_categories(), name_max=NAME_MAX)


def _names(form):
    """The names the form sent (a field it did not send is left out, so the service keeps that name)."""
    return {field: form[field] for field in ("name_az", "name_ru", "name") if field in form}


def _names_and_slug(form):
    return _names(form) | ({"slug": form["slug"]} if form.get("slug") else {})


ACTIONS = {
    "create-category": lambda actor, f: categories.create_category(actor, _names_and_slug(f)),
    "rename-category": lambda actor, f: categories.update_category(actor, f.get("id", type=int), _names_and_slug(f)),
    "delete-category": lambda actor, f: categories.delete_category(actor, f.get("id", type=int)),
    "create-subcategory": lambda actor, f: categories.create_subcategory(
        actor, f.get("category_id", type=int), _names_and_slug(f)
    ),
    "rename-subcategory": lambda actor, f: categories.update_subcategory(
        actor, f.get("id", type=int), _names_and_slug(f)
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
    with domain_errors(Invalid, Conflict, NotFound, flash_error=True):
        action(current_user, request.form)
        db.session.commit()
        flash(_("Saved."), "success")
    return redirect(url_for("admin.category_list"))


# ---- users, listings, reports, action log ------------------------------------------------------

from memi.admin import services as admin_services  # noqa: E402
from memi.pagination import paginate  # noqa: E402
from memi.reports import services as report_services  # noqa: E402

PAGE = 30
# The audit action codes (memi.audit.log_action) and the kinds they act on, for the action log's filters.
ACTION_CODES = [code for code in LABELS if "." in code]
TARGET_TYPES = ["user", "product", "report", "category", "subcategory"]
MAX_ID = 2**31 - 1


def _id_arg(name):
    """A numeric filter: None when absent, else an id in range (anything else is a friendly 400 page)."""
    value = (request.args.get(name) or "").strip()
    if not value:
        return None
    if not value.isdigit() or not 1 <= int(value) <= MAX_ID:
        raise Invalid(_("The filter “%(name)s” must be an id (a whole number).", name=name))
    return int(value)


def _done(message, target):
    db.session.commit()
    flash(message, "success")
    return redirect(target)


@bp.get("/users")
@admin_required
def users():
    blocked = {"yes": True, "no": False}.get(request.args.get("blocked", ""))
    items, meta = paginate(db.session, admin_services.users_query(request.args.get("q"), blocked), page_arg(), PAGE)
    return render("admin/users.html", users=items, meta=meta)


@bp.get("/users/<int:user_id>")
@admin_required
def user_detail(user_id):
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    listings = db.session.scalars(
        sa.select(Product).where(Product.seller_id == user.id).order_by(Product.created_at.desc()).limit(50)
    ).all()
    # About them: reports on their profile and listings, and chat reports (by a participant or by the
    # automated moderation) that name them.
    against = db.session.scalars(
        sa.select(Report)
        .where(
            sa.or_(
                Report.reported_user_id == user.id,
                Report.target_user_id == user.id,
                Report.product_id.in_(sa.select(Product.id).where(Product.seller_id == user.id)),
            )
        )
        .order_by(Report.created_at.desc())
        .limit(50)
    ).all()
    by = db.session.scalars(
        sa.select(Report).where(Report.reporter_id == user.id).order_by(Report.created_at.desc()).limit(50)
    ).all()
    actions = db.session.scalars(admin_services.actions_query(target_type="user", target_id=user.id).limit(50)).all()
    refs = admin_services.load_refs(
        [(r.target_type, r.target_id) for r in [*against, *by]] + [("user", a.admin_id) for a in actions]
    )
    return render(
        "admin/user.html",
        refs=refs,
        user=user,
        listings=listings,
        against=against,
        by=by,
        actions=actions,
        action_form=ActionForm(),
    )


@bp.post("/users/<int:user_id>")
@admin_required
def user_action(user_id):
    target = url_for("admin.user_detail", user_id=user_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    action, reason = request.form.get("action"), request.form.get("reason")
    with domain_errors(Invalid, NotFound, Conflict, flash_error=True) as outcome:
        if action == "block":
            admin_services.block_user(current_user, user_id, reason)
            return _done(_("User blocked."), target)
        if action == "unblock":
            admin_services.unblock_user(current_user, user_id, reason)
            return _done(_("User unblocked."), target)
        if action in ("promote", "demote"):
            admin_services.set_role(current_user, user_id, Role.ADMIN if action == "promote" else Role.USER, reason)
            # Demoting oneself ends one's way into these pages.
            return _done(_("Role changed."), target if current_user.is_admin else url_for("products.home"))
    if outcome.failed:
        return redirect(target)
    abort(400)


@bp.get("/listings")
@admin_required
def listings():
    status = request.args.get("status") or None
    items, meta = paginate(db.session, admin_services.products_query(request.args.get("q"), status), page_arg(), PAGE)
    return render("admin/listings.html", products=items, meta=meta)


@bp.get("/listings/<int:product_id>")
@admin_required
def listing_detail(product_id):
    product = db.session.get(Product, product_id)
    if product is None:
        abort(404)
    actions = db.session.scalars(admin_services.actions_query(target_type="product", target_id=product.id)).all()
    refs = admin_services.load_refs([("user", a.admin_id) for a in actions])
    return render("admin/listing.html", product=product, actions=actions, refs=refs)


@bp.post("/listings/<int:product_id>")
@admin_required
def listing_action(product_id):
    target = url_for("admin.listing_detail", product_id=product_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    reason = request.form.get("reason")
    with domain_errors(NotFound, Conflict, flash_error=True) as outcome:
        if request.form.get("action") == "remove":
            admin_services.remove_product(current_user, product_id, reason)
            return _done(_("Listing removed; the seller is notified."), target)
        if request.form.get("action") == "restore":
            admin_services.restore_product(current_user, product_id, reason)
            return _done(_("Listing restored."), target)
    if outcome.failed:
        return redirect(target)
    abort(400)


@bp.get("/reports")
@admin_required
def reports():
    status = request.args.get("status", ReportStatus.OPEN) or None
    query = report_services.reports_query(status, request.args.get("kind") or None, request.args.get("reason") or None)
    items, meta = paginate(db.session, query, page_arg(), PAGE)
    refs = admin_services.load_refs(
        [(r.target_type, r.target_id) for r in items] + [("user", r.reporter_id) for r in items]
    )
    return render("admin/reports.html", reports=items, meta=meta, status=status, refs=refs)


@bp.get("/reports/<int:report_id>")
@admin_required
def report_detail(report_id):
    report = db.session.get(Report, report_id)
    if report is None:
        abort(404)
    context = {}
    if report.target_type == "product":
        context["product"] = db.session.get(Product, report.target_id)
    elif report.target_type == "user":
        context["person"] = db.session.get(User, report.target_id)
    else:
        context["chat"] = db.session.get(Chat, report.target_id)
        context["transcript"] = db.session.scalars(
            sa.select(Message).where(Message.chat_id == report.target_id).order_by(Message.id)
        ).all()
    reporter = db.session.get(User, report.reporter_id) if report.reporter_id else None
    return render(
        "admin/report.html",
        report=report,
        reporter=reporter,
        subject=report_services.reported_user(report),
        **context,
    )


@bp.post("/reports/<int:report_id>")
@admin_required
def report_action(report_id):
    target = url_for("admin.report_detail", report_id=report_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    with domain_errors(Invalid, Conflict, NotFound, flash_error=True):
        report_services.resolve_report(current_user, report_id, request.form.get("action"), request.form.get("note"))
        return _done(_("Report resolved; the reporter is notified."), url_for("admin.reports"))
    return redirect(target)


@bp.get("/actions")
@admin_required
def actions():
    query = admin_services.actions_query(
        _id_arg("admin_id"),
        request.args.get("action") or None,
        request.args.get("target_type") or None,
        _id_arg("target_id"),
    )
    items, meta = paginate(db.session, query, page_arg(), PAGE)
    refs = admin_services.load_refs(
        [(a.target_type, a.target_id) for a in items] + [("user", a.admin_id) for a in items]
    )
    return render(
        "admin/actions.html", actions=items, meta=meta, refs=refs, action_codes=ACTION_CODES, target_types=TARGET_TYPES
    )


@bp.get("/jobs")
@admin_required
def jobs():
    """The background jobs: what is queued, the last run of each periodic job, recent failures."""
    job_runner.configure(current_app)
    statuses = job_services.statuses()
    periodic = [
        (name, JOB_DESCRIPTIONS.get(name, description), seconds, statuses.pop(name, None))
        for name, description, seconds in job_tasks.periodic_jobs(current_app.config)
    ]
    return render(
        "admin/jobs.html",
        counts=job_runner.queue_counts(),
        backend=job_runner.backend(current_app.config),
        periodic=periodic,
        others=sorted(statuses.values(), key=lambda s: s.name),
        failures=job_services.recent_failures(),
        job_titles=JOB_TITLES,
        job_settings=JOB_SETTINGS,
    )
