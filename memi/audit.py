"""The admin guard and the admin action log: every admin mutation, in any feature, checks
`require_admin` and writes one `log_action` row in the same transaction."""

from flask_babel import lazy_gettext as _l

from memi.admin.models import AdminActionLog
from memi.errors import Forbidden
from memi.extensions import db


def require_admin(actor):
    """Raises Forbidden unless `actor` is an admin who is not blocked."""
    if actor is None or not getattr(actor, "is_admin", False) or getattr(actor, "is_blocked", False):
        raise Forbidden(_l("Only admins can do this."))


def log_action(admin, action, target_type, target_id, reason=None):
    row = AdminActionLog(admin_id=admin.id, action=action, target_type=target_type, target_id=target_id, reason=reason)
    db.session.add(row)
    return row
