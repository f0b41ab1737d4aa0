"""/api/v1/auth: tokens for third-party clients."""

from memi.api.core import Blueprint
from memi.auth import schemas, services
from memi.auth.limits import forgot_limits, login_attempt, login_limits, register_limits
from memi.errors import DomainError
from memi.extensions import db

blp = Blueprint("api_auth", __name__, url_prefix="/api/v1/auth", description="Accounts and tokens")


@blp.post("/register")
@register_limits
@blp.arguments(schemas.RegisterSchema)
@blp.response(201, schemas.AuthResultSchema)
def register(data):
    """Create an account; answers the user with a token pair. 409 if the email is taken."""
    user = services.register_user(data["email"], data["password"], data["name"], data.get("city"), data.get("phone"))
    access, refresh = services.issue_tokens(user)
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
    access, refresh = services.issue_tokens(user)
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
    """Log out: like the web logout, end every session of the token's user (their access tokens,
    web sessions and sockets) and revoke all their refresh tokens. 204 also for an unknown token."""
    services.logout(data["refresh_token"])
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
