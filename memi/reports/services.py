"""Reports against listings, users and chats, and their resolution by admins."""

import re

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from memi import events
from memi.admin import services as admin_services
from memi.audit import log_action, require_admin
from memi.chat.models import Chat, Message
from memi.columns import utcnow
from memi.errors import Conflict, Forbidden, Invalid, NotFound, RateLimited
from memi.extensions import db
from memi.products.models import Product
from memi.products.services import get_visible_product
from memi.ratelimit import allow
from memi.reports.models import REASONS, RESOLUTION_ACTIONS, TARGET_TYPES, Report
from memi.statuses import ReportStatus
from memi.users.models import User

FK_COLUMN = {"product": "product_id", "user": "target_user_id", "chat": "chat_id"}


def _target(reporter, target_type, target_id):
    """The reported object, if the reporter may report it (raises NotFound / Forbidden otherwise)."""

    if target_type == "product":
        product = get_visible_product(reporter, target_id)
        if reporter is not None and product.seller_id == reporter.id:
            raise Forbidden(_l("You cannot report your own listing."))
        return product
    if target_type == "user":
        user = db.session.get(User, target_id)
        if user is None:
            raise NotFound(_l("This user does not exist."))
        if reporter is not None and user.id == reporter.id:
            raise Invalid(fields={"target_id": [_l("You cannot report yourself.")]})
        return user
    return participant_chat(reporter, target_id)


def participant_chat(user, chat_id):
    """The chat, if `user` takes part in it (only its participants can report a chat); else NotFound."""

    chat = db.session.get(Chat, chat_id) if isinstance(chat_id, int) and 0 < chat_id < 2**31 else None
    if chat is None or (user is not None and user.id not in (chat.buyer_id, chat.seller_id)):
        raise NotFound(_l("This chat does not exist."))
    return chat


def _subject(target_type, target, reporter=None):
    """Whom a report on `target` is about: the user, the listing's seller, or the other participant."""
    if target_type == "user":
        return target.id
    if target_type == "product":
        return target.seller_id
    if reporter is not None:
        return target.seller_id if reporter.id == target.buyer_id else target.buyer_id
    return None


def check_reportable(reporter, target_type, target_id):
    """Whether `reporter` may report this target (the form asks before it is shown). Raises NotFound
    (no such target for them: a chat they are not in), Forbidden (own listing, blocked account),
    Invalid (themselves)."""
    if reporter.is_blocked:
        raise Forbidden(_l("This account is blocked."))
    return _target(reporter, target_type, target_id)


def create_report(reporter, target_type, target_id, reason, details=None):
    """File a report. Raises Invalid (bad fields), NotFound (no such target for this reporter),
    Conflict (an open report by the same reporter on the same target), RateLimited."""

    problems = {}
    if target_type not in TARGET_TYPES:
        problems["target_type"] = [_l("Must be one of %(values)s.", values="product, user, chat")]
    if reason not in REASONS:
        problems["reason"] = [_l("Must be one of %(values)s.", values=", ".join(REASONS))]
    details = (details or "").strip() or None
    if details and len(details) > 1000:
        problems["details"] = [_l("Use at most %(num)d characters.", num=1000)]
    if not isinstance(target_id, int) or not 0 < target_id < 2**31:
        problems["target_id"] = [_l("Must be an id.")]
    if problems:
        raise Invalid(fields=problems)
    if reporter.is_blocked:
        raise Forbidden(_l("This account is blocked."))
    target = _target(reporter, target_type, target_id)
    existing = db.session.scalar(
        sa.select(Report.id).where(
            Report.reporter_id == reporter.id,
            Report.target_type == target_type,
            Report.target_id == target_id,
            Report.status == ReportStatus.OPEN,
        )
    )
    if existing is not None:
        raise Conflict(_l("You already reported this; our team is looking at it."))
    if not allow(current_app.config["REPORT_RATE"], "report", str(reporter.id)):
        raise RateLimited(_l("You have sent many reports; please wait a while."))  # Retry-After: from allow()
    report = Report(
        reporter_id=reporter.id,
        source="USER",
        target_type=target_type,
        target_id=target_id,
        reason=reason,
        details=details,
        status=ReportStatus.OPEN,
        reported_user_id=_subject(target_type, target, reporter),
        **{FK_COLUMN[target_type]: target_id},
    )
    db.session.add(report)
    db.session.flush()
    return report


MESSAGE_IN_DETAILS = re.compile(r"\bmessage (\d{1,10})\b")


def _flagged_message(chat_id, message_id=None, details=None):
    """The flagged message of an automated chat report: by id, or (older reports) from its details."""

    if message_id is None and details:
        found = MESSAGE_IN_DETAILS.findall(details)
        message_id = int(found[-1]) if found else None
    if message_id is None or message_id >= 2**31:
        return None
    message = db.session.get(Message, message_id)
    return message if message is not None and message.chat_id == chat_id else None


def system_report(target_type, target_id, reason, details, message_id=None):
    """A report filed by the automated moderation (no reporter). It records whom it is about: the
    listing's seller, or for a chat the sender of the flagged message (`message_id`). While an automated
    report on the same target and person is still OPEN, the new finding is appended to it instead of
    filing another one."""

    details = (details or "").strip()
    message = None
    if target_type == "chat":
        message = _flagged_message(target_id, message_id, details)
        subject = message.sender_id if message is not None else None
    elif target_type == "product":
        subject = db.session.get(Product, target_id).seller_id
    else:
        subject = target_id
    open_report = db.session.scalar(
        sa.select(Report)
        .where(
            Report.source == "SYSTEM",
            Report.target_type == target_type,
            Report.target_id == target_id,
            Report.status == ReportStatus.OPEN,
            Report.reported_user_id == subject if subject is not None else Report.reported_user_id.is_(None),
        )
        .order_by(Report.id)
        .limit(1)
    )
    if open_report is not None:
        combined = f"{open_report.details}; {details}" if open_report.details else details
        if details and details not in (open_report.details or "") and len(combined) <= 1000:
            open_report.details = combined
            db.session.flush()
        return open_report
    report = Report(
        reporter_id=None,
        source="SYSTEM",
        target_type=target_type,
        target_id=target_id,
        reason=reason,
        details=details[:1000] or None,
        status=ReportStatus.OPEN,
        reported_user_id=subject,
        message_id=message.id if message is not None else None,
        **{FK_COLUMN[target_type]: target_id},
    )
    db.session.add(report)
    db.session.flush()
    return report


def reported_user_id(report):
    """Whom BLOCK_USER blocks: the user the report records (the user, the listing's seller, the reported
    chat participant, or the sender of the message the automated moderation flagged). Older rows without
    it are derived the same way; None when nobody can be named (BLOCK_USER is then refused)."""

    if report.reported_user_id is not None:
        return report.reported_user_id
    if report.target_type == "user":
        return report.target_id
    if report.target_type == "product":
        product = db.session.get(Product, report.target_id)
        return product.seller_id if product else None
    chat = db.session.get(Chat, report.target_id)
    if chat is None:
        return None
    if report.reporter_id is not None:
        return chat.seller_id if report.reporter_id == chat.buyer_id else chat.buyer_id
    message = _flagged_message(chat.id, report.message_id, report.details)
    return message.sender_id if message is not None else None


def reported_user(report):
    user_id = reported_user_id(report)
    return db.session.get(User, user_id) if user_id is not None else None


def resolve_report(admin, report_id, action, note=None):
    """Resolve an open report: DISMISS, REMOVE_PRODUCT (product reports) or BLOCK_USER. The reporter is
    notified of the outcome. Raises Forbidden (not admin), NotFound, Conflict (already closed), Invalid."""

    require_admin(admin)
    if action not in RESOLUTION_ACTIONS:
        raise Invalid(fields={"action": [_l("Must be one of %(values)s.", values=", ".join(RESOLUTION_ACTIONS))]})
    report = db.session.scalar(sa.select(Report).where(Report.id == report_id).with_for_update(of=Report))
    if report is None:
        raise NotFound(_l("This report does not exist."))
    if report.status != ReportStatus.OPEN:
        raise Conflict(_l("This report is already closed."))
    note = (note or "").strip()[:1000] or None
    if action == "REMOVE_PRODUCT":
        if report.target_type != "product":
            raise Invalid(fields={"action": [_l("REMOVE_PRODUCT applies to listing reports.")]})
        admin_services.remove_product(admin, report.target_id, note or f"Report #{report.id}")
    elif action == "BLOCK_USER":
        subject = reported_user_id(report)
        if subject is None:
            raise Invalid(fields={"action": [_l("This report does not name a user to block.")]})
        admin_services.block_user(admin, subject, note or f"Report #{report.id}")
    report.status = ReportStatus.DISMISSED if action == "DISMISS" else ReportStatus.RESOLVED
    report.resolution_action = action
    report.resolution_note = note
    report.resolved_by_id = admin.id
    report.resolved_at = utcnow()
    db.session.flush()
    log_action(admin, f"report.{action.lower()}", "report", report.id, note)
    # The reporter is told the outcome (memi.notifications.listeners, in this transaction).
    events.emit(db.session, events.report_resolved, report_id=report.id, reporter_id=report.reporter_id, action=action)
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
