"""Admin moderation of users and listings; every admin mutation writes one row of the action log
(memi.audit) in the same transaction."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from memi import events
from memi.admin.models import AdminActionLog
from memi.audit import log_action, require_admin
from memi.auth.services import end_all_sessions
from memi.columns import utcnow
from memi.errors import Conflict, Invalid, NotFound
from memi.extensions import db
from memi.products.models import Product
from memi.statuses import Role
from memi.users.models import User

# ---- moderation of users and listings -------------------------------------------------------------


def _user(user_id):
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(_l("This user does not exist."))
    return user


def block_user(admin, user_id, reason=None):
    """Block a user everywhere at once: web sessions, access and refresh tokens and open sockets end;
    their listings leave search and public pages (queries hide blocked sellers); chats with them take no
    new messages; their open reservation requests, and every open request on their listings (held ones
    included: the listing is hidden anyway), are cancelled with notifications."""

    require_admin(admin)
    user = _user(user_id)
    if user.id == admin.id:
        raise Invalid(fields={"user": [_l("You cannot block yourself.")]})
    if not user.is_blocked:
        user.is_blocked = True
        user.blocked_at = utcnow()
        user.blocked_reason = (reason or "")[:500] or None
        end_all_sessions(user)
        # Their reservations are cancelled by memi.reservations.listeners, in this transaction.
        events.emit(db.session, events.user_blocked, user_id=user.id)
    log_action(admin, "user.block", "user", user.id, reason)
    return user


def unblock_user(admin, user_id, reason=None):
    """Unblock: the listings that were on sale come back (their status never changed)."""

    require_admin(admin)
    user = _user(user_id)
    if user.is_blocked:
        user.is_blocked = False
        user.blocked_at = None
        user.blocked_reason = None
        db.session.flush()
        events.emit(db.session, events.user_unblocked, user_id=user.id)
    log_action(admin, "user.unblock", "user", user.id, reason)
    return user


def set_role(admin, user_id, role, reason=None):
    """Promote to ADMIN or demote to USER. An admin may demote themselves, but the last active
    (unblocked) admin can never be demoted: Conflict, so that the site always keeps one admin.
    Raises Invalid (unknown role), NotFound, Conflict."""

    require_admin(admin)
    if role not in (Role.USER, Role.ADMIN):
        raise Invalid(fields={"role": [_l("Must be USER or ADMIN.")]})
    user = _user(user_id)
    if user.role == Role.ADMIN and role == Role.USER:
        # Lock every active admin (in id order: two demotions at once wait for each other instead of
        # each seeing the other still there), then count them.
        admins = db.session.scalars(
            sa.select(User.id)
            .where(User.role == Role.ADMIN, User.is_blocked.is_(False))
            .order_by(User.id)
            .with_for_update()
        ).all()
        if not [other for other in admins if other != user.id]:
            raise Conflict(_l("This is the last admin; make someone else an admin first."))
    user.role = role
    db.session.flush()
    log_action(admin, "user.promote" if role == Role.ADMIN else "user.demote", "user", user.id, reason)
    return user


def remove_product(admin, product_id, reason=None):
    """Take a listing off the marketplace (soft); the seller is notified; open requests close."""

    require_admin(admin)
    product = db.session.get(Product, product_id)
    if product is None:
        raise NotFound(_l("This listing does not exist."))
    if product.removed_at is None:
        product.removed_at = utcnow()
        product.removed_reason = (reason or "")[:500] or None
        db.session.flush()
        # Its open requests close and the seller is notified (memi.reservations.listeners, then
        # memi.notifications.listeners), in this transaction.
        events.emit(db.session, events.product_removed, product_id=product.id, admin_id=admin.id, reason=reason)
    log_action(admin, "product.remove", "product", product.id, reason)
    return product


def restore_product(admin, product_id, reason=None):
    """Bring back a listing moderation removed. Raises NotFound, Conflict (it was not removed)."""

    require_admin(admin)
    product = db.session.get(Product, product_id)
    if product is None:
        raise NotFound(_l("This listing does not exist."))
    if product.removed_at is None:
        raise Conflict(_l("This listing was not removed; there is nothing to restore."))
    product.removed_at = None
    product.removed_reason = None
    db.session.flush()
    log_action(admin, "product.restore", "product", product.id, reason)
    return product


def users_query(q=None, blocked=None):
    query = sa.select(User)
    if q:
        like = f"%{q.strip().lower()}%"
        query = query.where(sa.or_(sa.func.lower(User.email).like(like), sa.func.lower(User.name).like(like)))
    if blocked is not None:
        query = query.where(User.is_blocked.is_(blocked))
    return query.order_by(User.created_at.desc(), User.id.desc())


def actions_query(admin_id=None, action=None, target_type=None, target_id=None):
    query = sa.select(AdminActionLog)
    if admin_id:
        query = query.where(AdminActionLog.admin_id == admin_id)
    if action:
        query = query.where(AdminActionLog.action == action)
    if target_type:
        query = query.where(AdminActionLog.target_type == target_type)
    if target_id:
        query = query.where(AdminActionLog.target_id == target_id)
    return query.order_by(AdminActionLog.created_at.desc(), AdminActionLog.id.desc())


def products_query(q=None, status=None):
    query = sa.select(Product)
    if q:
        query = query.where(sa.func.lower(Product.title).like(f"%{q.strip().lower()}%"))
    if status == "REMOVED":
        query = query.where(Product.removed_at.is_not(None))
    elif status:
        query = query.where(Product.status == status)
    return query.order_by(Product.created_at.desc(), Product.id.desc())


# ---- what the back office's rows refer to ----------------------------------------------------------

# The model each reference kind (a report's or an action's target_type) names.
_KINDS = {
    "user": User,
    "product": Product,
}


def _kind_models():
    from memi.categories.models import Category, Subcategory
    from memi.chat.models import Chat
    from memi.reports.models import Report

    return _KINDS | {"report": Report, "chat": Chat, "category": Category, "subcategory": Subcategory}


def load_refs(pairs):
    """The rows that (kind, id) pairs name, one query per kind: {(kind, id): row}. A pair whose row is gone
    (or whose kind is unknown) is left out, and the page says so instead of showing a name."""
    wanted = {}
    for kind, ident in pairs:
        if kind and ident is not None:
            wanted.setdefault(kind, set()).add(ident)
    models = _kind_models()
    found = {}
    for kind, ids in wanted.items():
        model = models.get(kind)
        if model is None:
            continue
        for row in db.session.scalars(sa.select(model).where(model.id.in_(sorted(ids)))):
            found[(kind, row.id)] = row
    return found
