"""Guards for HTML views, as decorators."""

import functools

from flask import abort
from flask_login import current_user, login_required

__all__ = ["admin_required", "login_required"]


def admin_required(fn):
    @functools.wraps(fn)
    @login_required
    def wrapper(*args, **kwargs):
        if not current_user.is_admin:
            abort(403)
        return fn(*args, **kwargs)

    return wrapper
