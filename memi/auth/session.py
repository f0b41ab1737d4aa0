"""Web sessions (Flask-Login): a session id carries the user's auth epoch, so bumping the epoch
(logout, password change or reset, block) ends every session at its next request."""

from urllib.parse import urlsplit

from flask import flash, jsonify, redirect, request, url_for
from flask_babel import lazy_gettext as _l

from memi.api.errors import error_response
from memi.auth.services import load_session_user, load_token_user
from memi.extensions import jwt
from memi.web.forms import safe_next


def configure_login_manager(login_manager):
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to continue.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def _load(session_id):
        return load_session_user(session_id)

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
        flash(login_manager.login_message, "info")
        return redirect(login_url)

    @jwt.user_lookup_loader
    def _token_user(_header, payload):
        return load_token_user(payload.get("sub"), payload.get("epoch"))

    def _jwt_error(message):
        return error_response(401, "unauthorized", message)

    jwt.unauthorized_loader(lambda reason: _jwt_error("Authentication is required."))
    jwt.invalid_token_loader(lambda reason: _jwt_error("This token is not valid."))
    jwt.expired_token_loader(lambda header, payload: _jwt_error("This token has expired."))
    jwt.revoked_token_loader(lambda header, payload: _jwt_error("This token has been revoked."))
    jwt.user_lookup_error_loader(lambda header, payload: _jwt_error("This token is not valid."))
    jwt.needs_fresh_token_loader(lambda header, payload: _jwt_error("A fresh token is required."))


def _path_of(url):
    parts = urlsplit(url)
    if parts.netloc and parts.netloc != request.host:
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")
