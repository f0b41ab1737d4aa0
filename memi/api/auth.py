"""/api/v1/auth: tokens for third-party clients, and the user's signed-in sessions."""

from flask import request
from flask_jwt_extended import get_jwt

from memi.api.core import Blueprint, current_api_user, jwt_required
from memi.auth import schemas, services
from memi.auth.limits import forgot_limits, login_attempt, login_limits, register_limits
from memi.client_ip import client_ip
from memi.errors import DomainError
from memi.extensions import db
from memi.users.schemas import NoQueryArgs

blp = Blueprint("api_auth", __name__, url_prefix="/api/v1/auth", description="Accounts and tokens")


def _new_session_tokens(user):
    """A new API session for this client (its user agent and address) and its first token pair."""
    session = services.start_session(user, "api", request.headers.get("User-Agent"), client_ip())
    return services.issue_tokens(user, session=session)


def _current_session_id():
    return get_jwt().get("sid")


@blp.post("/register")
@register_limits
@blp.arguments(schemas.RegisterSchema)
@blp.response(201, schemas.AuthResultSchema)
def register(data):
    """Create an account; answers the user with a token pair. 409 if the email is taken."""
    user = services.register_user(data["email"], data["password"], data["name"], data.get("city"), data.get("phone"))
    access, refresh = _new_session_tokens(user)
    db.session.commit()
    return {"user": user, "access_token": access, "refresh_token": refresh}


@blp.post("/login")
@login_limits
@blp.arguments(schemas.LoginSchema)
@blp.response(200, schemas.AuthResultSchema)
def login(data):
    """Exchange credentials for a token pair. 401 on bad credentials, 403 for a blocked account, 429
    (Retry-After) after too many failed attempts for this email from this address (or from anywhere)."""
    with login_attempt(data["email"]):
        user = services.authenticate(data["email"], data["password"])
    access, refresh = _new_session_tokens(user)
    db.session.commit()
    return {"user": user, "access_token": access, "refresh_token": refresh}


@blp.post("/refresh")
@blp.arguments(schemas.RefreshSchema)
@blp.response(200, schemas.TokenPairSchema)
def refresh(data):
    """Rotate a refresh token. A reused token is 401 and revokes its family."""
    try:
        _user, access, new_refresh = services.refresh(data["refresh_token"])
    except DomainError:
        # Keep the family revocation that detected the reuse, then answer the error.
        db.session.commit()
        raise
    db.session.commit()
    return {"access_token": access, "refresh_token": new_refresh}


@blp.post("/logout")
@blp.arguments(schemas.RefreshSchema)
@blp.response(204)
def logout(data):
    """Log out this client: end the session of this refresh token (its refresh tokens, the access
    tokens issued from it and its sockets). The user's other devices stay signed in. 204 also for an
    unknown token."""
    services.logout(data["refresh_token"])
    db.session.commit()


@blp.post("/logout-all")
@jwt_required
@blp.arguments(NoQueryArgs, location="query")
@blp.response(204)
def logout_all(_query):
    """Sign out everywhere: every session of the user ends (refresh tokens, access tokens, web
    sessions and sockets), this one included."""
    services.end_all_sessions(current_api_user())
    db.session.commit()


@blp.get("/sessions")
@jwt_required
@blp.arguments(NoQueryArgs, location="query")
@blp.response(200, schemas.SessionSchema(many=True))
def sessions(_query):
    """The user's active sessions, web and API, most recently used first; `current` marks the one
    making this request."""
    current_id = _current_session_id()
    return [schemas.session_item(row, current_id) for row in services.list_sessions(current_api_user())]


@blp.delete("/sessions/<session_id>")
@jwt_required
@blp.arguments(NoQueryArgs, location="query")
@blp.response(204)
def end_session(_query, session_id):
    """End one session of the user: that device is signed out at its next request and its sockets
    close. 404 for an id that is not one of the user's sessions."""
    services.end_session(current_api_user(), session_id)
    db.session.commit()


@blp.post("/password/change")
@jwt_required
@blp.arguments(NoQueryArgs, location="query")
@blp.arguments(schemas.ChangePasswordSchema)
@blp.response(204)
def change_password(_query, data):
    """Change the password (400 with field errors for a wrong current password or a weak new one);
    every other session of the user ends, this one stays signed in. Guessing the current password is
    limited like logins are (429)."""
    user = current_api_user()
    with login_attempt(user.email):
        services.change_password(
            user, data["current_password"], data["new_password"], keep_session_id=_current_session_id()
        )
    db.session.commit()


@blp.post("/password/forgot")
@forgot_limits
@blp.arguments(schemas.ForgotSchema)
@blp.response(202)
def forgot(data):
    """Email a single-use reset link valid one hour if the account exists; 202 either way."""
    services.request_password_reset(data["email"])
    db.session.commit()


@blp.post("/password/reset")
@blp.arguments(schemas.ResetSchema)
@blp.response(204)
def reset(data):
    """Set a new password with a reset token; every refresh token of the user is revoked."""
    services.reset_password(data["token"], data["password"])
    db.session.commit()
