"""Reports against listings, users and chats, and their resolution by admins."""

import sqlalchemy as sa
from flask import current_app

from memi.columns import utcnow
from memi.errors import Conflict, Forbidden, Invalid, NotFound, RateLimited
from memi.extensions import db
from memi.reports.models import REASONS, RESOLUTION_ACTIONS, TARGET_TYPES, Report
from memi.users.models import User

FK_COLUMN = {"product": "product_id", "user": "target_user_id", "chat": "chat_id"}


def _target(reporter, target_type, target_id):
    """The reported object, if the reporter may report it (raises NotFound / Forbidden otherwise)."""
    from memi.chat.models import Chat
    from memi.products.services import get_visible_product

    if target_type == "product":
        return get_visible_product(reporter, target_id)
    if target_type == "user":
        user = db.session.get(User, target_id)
        if user is None:
            raise NotFound("This user does not exist.")
        if reporter is not None and user.id == reporter.id:
            raise Invalid(fields={"target_id": ["You cannot report yourself."]})
        return user
    chat = db.session.get(Chat, target_id)
    if chat is None or (reporter is not None and reporter.id not in (chat.buyer_id, chat.seller_id)):
        raise NotFound("This chat does not exist.")  # only its participants can report a chat
    return chat


def create_report(reporter, target_type, target_id, reason, details=None):
    """File a report. Raises Invalid (bad fields), NotFound (no such target for this reporter),
    Conflict (an open report by the same reporter on the same target), RateLimited."""
    from memi.web.ratelimit import allow

    problems = {}
    if target_type not in TARGET_TYPES:
        problems["target_type"] = ["Must be one of product, user, chat."]
    if reason not in REASONS:
        problems["reason"] = [f"Must be one of {', '.join(REASONS)}."]
    details = (details or "").strip() or None
    if details and len(details) > 1000:
        problems["details"] = ["Use at most 1000 characters."]
    if not isinstance(target_id, int) or not 0 < target_id < 2**31:
        problems["target_id"] = ["Must be an id."]
    if problems:
        raise Invalid(fields=problems)
    if reporter.is_blocked:
        raise Forbidden("This account is blocked.")
    _target(reporter, target_type, target_id)
    existing = db.session.scalar(
        sa.select(Report.id).where(
            Report.reporter_id == reporter.id,
            Report.target_type == target_type,
            Report.target_id == target_id,
            Report.status == "OPEN",
        )
    )
    if existing is not None:
        raise Conflict("You already reported this; our team is looking at it.")
    if not allow(current_app.config["REPORT_RATE"], "report", str(reporter.id)):
        raise RateLimited("You have sent many reports; please wait a while.")
    report = Report(
        reporter_id=reporter.id,
        source="USER",
        target_type=target_type,
        target_id=target_id,
        reason=reason,
        details=details,
        status="OPEN",
        **{FK_COLUMN[target_type]: target_id},
    )
    db.session.add(report)
    db.session.flush()
    return report


def system_report(target_type, target_id, reason, details):
    """A report filed by the automated moderation (no reporter)."""
    report = Report(
        reporter_id=None,
        source="SYSTEM",
        target_type=target_type,
        target_id=target_id,
        reason=reason,
        details=(details or "")[:1000],
        status="OPEN",
        **{FK_COLUMN[target_type]: target_id},
    )
    db.session.add(report)
    db.session.flush()
    return report


def reported_user_id(report):
    """Whom BLOCK_USER blocks: the user, the listing's seller, or the chat participant who was reported."""
    from memi.chat.models import Chat
    from memi.products.models import Product

    if report.target_type == "user":
        return report.target_id
    if report.target_type == "product":
        return db.session.get(Product, report.target_id).seller_id
    chat = db.session.get(Chat, report.target_id)
    return chat.seller_id if report.reporter_id == chat.buyer_id else chat.buyer_id


def resolve_report(admin, report_id, action, note=None):
    """Resolve an open report: DISMISS, REMOVE_PRODUCT (product reports) or BLOCK_USER. The reporter is
    notified of the outcome. Raises Forbidden (not admin), NotFound, Conflict (already closed), Invalid."""
    from memi.admin import services as admin_services
    from memi.admin.services import log_action, require_admin
    from memi.notifications.services import notify

    require_admin(admin)
    if action not in RESOLUTION_ACTIONS:
        raise Invalid(fields={"action": [f"Must be one of {', '.join(RESOLUTION_ACTIONS)}."]})
    report = db.session.scalar(sa.select(Report).where(Report.id == report_id).with_for_update(of=Report))
    if report is None:
        raise NotFound("This report does not exist.")
    if report.status != "OPEN":
        raise Conflict("This report is already closed.")
    note = (note or "").strip()[:1000] or None
    if action == "REMOVE_PRODUCT":
        if report.target_type != "product":
            raise Invalid(fields={"action": ["REMOVE_PRODUCT applies to listing reports."]})
        admin_services.remove_product(admin, report.target_id, note or f"Report #{report.id}")
    elif action == "BLOCK_USER":
        admin_services.block_user(admin, reported_user_id(report), note or f"Report #{report.id}")
    report.status = "DISMISSED" if action == "DISMISS" else "RESOLVED"
    report.resolution_action = action
    report.resolution_note = note
    report.resolved_by_id = admin.id
    report.resolved_at = utcnow()
    db.session.flush()
    log_action(admin, f"report.{action.lower()}", "report", report.id, note)
    if report.reporter_id:
        notify(
            report.reporter_id,
            "report.resolved",
            {"report_id": report.id, "action": action, "url": "/"},
            email=(
                "Your report was reviewed",
                "notify_generic",
                {
                    "text": "Thank you: our team reviewed your report and acted on it."
                    if action != "DISMISS"
                    else "Thank you: our team reviewed your report.",
                    "link": "/",
                },
            ),
        )
    return report


def reports_query(status=None, target_type=None, reason=None):
    """The admin queue, oldest first."""
    query = sa.select(Report)
    if status:
        query = query.where(Report.status == status)
    if target_type:
        query = query.where(Report.target_type == target_type)
    if reason:
        query = query.where(Report.reason == reason)
    return query.order_by(Report.created_at.asc(), Report.id.asc())
