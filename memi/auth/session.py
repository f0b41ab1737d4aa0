"""Web sessions (Flask-Login) and access tokens: both name a session row (memi.auth.models.UserSession),
checked per request, so ending that row signs out that one device; the user's auth epoch (bumped by
"sign out everywhere", a password reset or a block) still ends all of them at once."""

import logging
from urllib.parse import urlsplit

from flask import flash, g, jsonify, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import SQLAlchemyError

from memi.api.errors import error_response
from memi.auth.services import load_session_user, load_token_user, touch_session
from memi.extensions import db, jwt
from memi.web.forms import safe_next

log = logging.getLogger("memi.auth")


def configure_login_manager(login_manager):
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to continue.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def _load(session_id):
        return _touch_later(load_session_user(session_id))

    @login_manager.unauthorized_handler
    def _unauthorized():
        target = safe_next(request.full_path.rstrip("?")) if request.method == "GET" else None
        if request.method != "GET":
            target = safe_next(request.referrer and _path_of(request.referrer))
        login_url = url_for("auth.login", next=target) if target else url_for("auth.login")
        if request.headers.get("HX-Request") == "true":
            response = jsonify(ok=False)
            response.status_code = 401
            response.headers["HX-Redirect"] = login_url
            return response
        flash(str(login_manager.login_message), "info")
        return redirect(login_url)

    @jwt.user_lookup_loader
    def _token_user(_header, payload):
        return _touch_later(load_token_user(payload.get("sub"), payload.get("epoch"), payload.get("sid")))

    def _jwt_error(message):
        return error_response(401, "unauthorized", message)

    jwt.unauthorized_loader(lambda reason: _jwt_error(_l("Authentication is required.")))
    jwt.invalid_token_loader(lambda reason: _jwt_error(_l("This token is not valid.")))
    jwt.expired_token_loader(lambda header, payload: _jwt_error(_l("This token has expired.")))
    jwt.revoked_token_loader(lambda header, payload: _jwt_error(_l("This token has been revoked.")))
    jwt.user_lookup_error_loader(lambda header, payload: _jwt_error(_l("This token is not valid.")))
    jwt.needs_fresh_token_loader(lambda header, payload: _jwt_error(_l("A fresh token is required.")))


def _touch_later(user):
    if user is not None and user.session_needs_touch:
        g.memi_touch_session = user.session_id
    return user


def touch_after_request(response):
    """Write the session's last_seen_at (at most once a minute) after the request: in a transaction
    of its own, after whatever the view left uncommitted is dropped (as the teardown would drop it)."""
    session_id = g.pop("memi_touch_session", None)
    if session_id is not None and response.status_code < 500:  # not after a failure (the database may be down)
        try:
            db.session.rollback()
            touch_session(session_id)
            db.session.commit()
        except SQLAlchemyError:  # a busy or unreachable database must not fail a finished request
            db.session.rollback()
            log.warning("could not record the use of a session", exc_info=True)
    return response


def register_session_touch(app):
    app.after_request(touch_after_request)


def _path_of(url):
    parts = urlsplit(url)
    if parts.netloc and parts.netloc != request.host:
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")
