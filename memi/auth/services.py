"""Accounts and authentication: registration, login, tokens, sessions, password reset."""

import uuid
from datetime import timedelta
from types import SimpleNamespace

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_jwt_extended import create_access_token
from sqlalchemy.exc import IntegrityError

from memi import events
from memi.auth.models import PasswordResetToken, RefreshToken
from memi.auth.passwords import burn_check_time, check_password, hash_password, password_problems
from memi.auth.tokens import new_token, token_hash
from memi.columns import utcnow
from memi.db_setup import lock_for_update
from memi.errors import Conflict, Forbidden, Invalid, Unauthorized
from memi.extensions import db
from memi.mail import services as mail
from memi.statuses import Role
from memi.users.models import User
from memi.users.services import clean_profile_fields

BAD_CREDENTIALS = "Email or password is incorrect."
# A used refresh token presented again within this long after the request that rotated it began is a
# request that raced that one (a client firing two refreshes at once): refused, without revoking the
# family. Presented later, it is a replay by someone holding a copy: the whole family is revoked.
REFRESH_RACE_WINDOW = timedelta(seconds=5)


def _checked_email(email):
    """The email-validator result for `email` (syntax only: no DNS, no deliverability check)."""
    return validate_email(email, check_deliverability=False)


def email_is_valid(email):
    """True for a syntactically valid address, as the register form and the API both judge it."""
    if not isinstance(email, str) or not email.strip():
        return False
    try:
        _checked_email(email.strip())
    except EmailNotValidError:
        return False
    return True


def normalize_email(email):
    """The form an email is stored and looked up in: email-validator's normalised form, lower-cased
    (plain trimming and lower-casing when it is not a valid address, so a lookup still works)."""
    email = (email or "").strip()
    try:
        email = _checked_email(email).normalized
    except EmailNotValidError:
        pass
    return email.lower()


def register_user(email, password, name, city=None, phone=None):
    """Create a USER account.

    Raises Invalid (field messages) for a bad password or profile field, Conflict if the email is taken.
    """
    problems = {}
    valid = email_is_valid(email)
    email = normalize_email(email)
    if not valid or len(email) > 254:
        problems["email"] = ["Enter a valid email address."]
    if password_problems(password):
        problems["password"] = password_problems(password)
    try:
        profile = clean_profile_fields({"name": name, "city": city, "phone": phone}, require_name=True)
    except Invalid as exc:
        problems.update(exc.fields)
        profile = {}
    if problems:
        raise Invalid(fields=problems)
    if db.session.scalar(sa.select(User.id).where(User.email == email)) is not None:
        raise Conflict("An account with this email already exists.", fields={"email": ["This email is taken."]})
    user = User(email=email, password_hash=hash_password(password), role=Role.USER, **profile)
    try:
        with db.session.begin_nested():
            db.session.add(user)
    except IntegrityError:
        # Two registrations raced past the check above; the unique index chose one.
        raise Conflict("An account with this email already exists.", fields={"email": ["This email is taken."]})
    events.emit(db.session, events.user_registered, user_id=user.id)
    return user


def authenticate(email, password):
    """The user with these credentials.

    Raises Unauthorized (same answer and about the same time whether or not the email exists), or
    Forbidden if the account is blocked.
    """
    email = normalize_email(email)
    user = db.session.scalar(sa.select(User).where(User.email == email)) if email else None
    if user is None:
        burn_check_time(password or "")
        raise Unauthorized(BAD_CREDENTIALS)
    if not check_password(password or "", user.password_hash):
        raise Unauthorized(BAD_CREDENTIALS)
    if user.is_blocked:
        raise Forbidden("This account is blocked.")
    user.last_login_at = utcnow()
    return user


def issue_tokens(user, family_id=None):
    """A new access JWT and a new refresh token (in `family_id`, or a new family)."""
    access = create_access_token(identity=str(user.id), additional_claims={"epoch": user.auth_epoch})
    raw, digest = new_token()
    db.session.add(
        RefreshToken(
            user_id=user.id,
            family_id=family_id or str(uuid.uuid4()),
            token_hash=digest,
            expires_at=utcnow() + current_app.config["REFRESH_TOKEN_TTL"],
        )
    )
    db.session.flush()
    return access, raw


def _revoke_family(family_id):
    db.session.execute(
        sa.update(RefreshToken)
        .where(RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def _find_refresh_token(raw_token, lock=False):
    query = sa.select(RefreshToken).where(RefreshToken.token_hash == token_hash(raw_token or ""))
    if lock:
        # Row lock: a parallel refresh of the same token waits here until the first one commits, then
        # reads the row as that one left it (on SQLite every transaction already holds the write lock).
        query = lock_for_update(query, RefreshToken).execution_options(populate_existing=True)
    return db.session.scalar(query)


def refresh(raw_token):
    """Rotate a refresh token: returns (user, access_token, new_refresh_token).

    Raises Unauthorized for an unknown, expired, revoked or already-used token. A revoked token, or
    one used longer than REFRESH_RACE_WINDOW before this request began, also revokes its whole family
    (someone else holds a copy); one used within that window lost a race against a parallel refresh
    and is refused without harming the winner's new token. Raises Forbidden for a blocked user.
    Parallel refreshes of one token are settled by the row lock and the conditional UPDATE: exactly
    one wins.
    """
    started = utcnow()
    token = _find_refresh_token(raw_token, lock=True)
    if token is None:
        raise Unauthorized("This refresh token is not valid.")
    if token.revoked_at is not None:
        _revoke_family(token.family_id)
        raise Unauthorized("This refresh token was already used; sign in again.")
    if token.used_at is not None:
        if token.used_at >= started - REFRESH_RACE_WINDOW:
            raise Unauthorized("This refresh token was just used by a parallel request.")
        _revoke_family(token.family_id)
        raise Unauthorized("This refresh token was already used; sign in again.")
    now = utcnow()
    if token.expires_at <= now:
        raise Unauthorized("This refresh token has expired; sign in again.")
    won = db.session.execute(
        sa.update(RefreshToken)
        .where(RefreshToken.id == token.id, RefreshToken.used_at.is_(None), RefreshToken.revoked_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if won != 1:
        # Only reachable if the row lock did not hold (it always does on PostgreSQL and SQLite): the
        # other request won just now, so this is a race, not a replay.
        raise Unauthorized("This refresh token was just used by a parallel request.")
    user = db.session.get(User, token.user_id)
    if user is None or user.is_blocked:
        raise Forbidden("This account is blocked.")
    access, new_raw = issue_tokens(user, family_id=token.family_id)
    return user, access, new_raw


def logout(raw_token):
    """API logout with a refresh token: as the web logout, end every session of its user (epoch bump,
    which also ends access tokens and closes the user's sockets) and revoke all their refresh tokens.

    Unknown tokens are ignored (logout is idempotent). A token that can no longer be refreshed (used,
    revoked, expired) only revokes its own family: it proves no current session, so it cannot end the
    user's other sessions.
    """
    token = _find_refresh_token(raw_token)
    if token is None:
        return
    if token.used_at is not None or token.revoked_at is not None or token.expires_at <= utcnow():
        _revoke_family(token.family_id)
        return
    user = db.session.get(User, token.user_id)
    if user is not None:
        end_all_sessions(user)


def end_all_sessions(user):
    """End every web session and access token of `user` (epoch bump) and revoke all refresh tokens."""
    user.auth_epoch = (user.auth_epoch or 0) + 1
    events.emit(db.session, events.sessions_ended, user_id=user.id)
    db.session.execute(
        sa.update(RefreshToken)
        .where(RefreshToken.user_id == user.id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    db.session.flush()


def request_password_reset(email):
    """Queue a reset email with a single-use link valid one hour, if the account exists.

    Never raises for an unknown email: the caller answers the same either way, and about as fast (an
    unknown or blocked account still makes and hashes a token and renders the email, queuing nothing).
    """
    email = normalize_email(email)
    user = db.session.scalar(sa.select(User).where(User.email == email)) if email else None
    known = user is not None and not user.is_blocked
    raw, digest = new_token()
    ttl = current_app.config["PASSWORD_RESET_TTL"]
    link = f"{current_app.config['BASE_URL']}/reset-password/{raw}"
    context = {"user": user, "link": link, "minutes": int(ttl / timedelta(minutes=1))}
    if not known:
        stand_in = user or SimpleNamespace(id=None, email=email, name="")
        mail.render_email("password_reset", dict(context, user=stand_in))  # the time of one, not sent
        return
    db.session.add(PasswordResetToken(user_id=user.id, token_hash=digest, expires_at=utcnow() + ttl))
    mail.queue_email(
        to=user.email,
        kind="password_reset",
        template="password_reset",
        context=context,
        user_id=user.id,
        subject="Reset your memi.az password",
    )
    db.session.flush()


def reset_password(raw_token, password):
    """Set a new password with a reset token; ends every session and refresh token of the user.

    Raises Invalid for a bad, used or expired token, or a password that breaks the rules.
    """
    problems = password_problems(password)
    if problems:
        raise Invalid(fields={"password": problems})
    token = db.session.scalar(
        sa.select(PasswordResetToken).where(PasswordResetToken.token_hash == token_hash(raw_token or ""))
    )
    now = utcnow()
    if token is None or token.used_at is not None or token.expires_at <= now:
        raise Invalid("This reset link is invalid or has expired.", fields={"token": ["Invalid or expired."]})
    # Hashed before anything is written: no transaction holds locks during bcrypt (memi.cpu).
    new_hash = hash_password(password)
    used = db.session.execute(
        sa.update(PasswordResetToken)
        .where(PasswordResetToken.id == token.id, PasswordResetToken.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if used != 1:
        raise Invalid("This reset link is invalid or has expired.", fields={"token": ["Invalid or expired."]})
    user = db.session.get(User, token.user_id)
    user.password_hash = new_hash
    end_all_sessions(user)
    events.emit(db.session, events.password_reset, user_id=user.id)
    return user


def check_reset_token(raw_token):
    """True when the reset link can still be used (to show the form or an expiry page)."""
    token = db.session.scalar(
        sa.select(PasswordResetToken).where(PasswordResetToken.token_hash == token_hash(raw_token or ""))
    )
    return token is not None and token.used_at is None and token.expires_at > utcnow()


def change_password(user, current_password, new_password):
    """Change the password of a signed-in user; ends every other session and refresh token.

    Raises Invalid when the current password is wrong or the new one breaks the rules.
    """
    if not check_password(current_password or "", user.password_hash):
        raise Invalid(fields={"current_password": ["This is not your current password."]})
    problems = password_problems(new_password)
    if problems:
        raise Invalid(fields={"new_password": problems})
    new_hash = hash_password(new_password)  # before anything is written (memi.cpu)
    user.password_hash = new_hash
    end_all_sessions(user)
    return user


def create_admin(email, password, name="Admin"):
    """Create an ADMIN account, or promote an existing account and set its password."""
    problems = password_problems(password)
    if problems:
        raise Invalid(fields={"password": problems})
    email = normalize_email(email)
    user = db.session.scalar(sa.select(User).where(User.email == email))
    if user is None:
        user = register_user(email, password, name)
    else:
        user.password_hash = hash_password(password)
    user.role = Role.ADMIN
    db.session.flush()
    return user


def load_session_user(session_id):
    """The user behind a web session id "<id>:<epoch>", or None if the session has ended."""
    try:
        user_id, epoch = (int(part) for part in str(session_id).split(":"))
    except ValueError:
        return None
    user = db.session.get(User, user_id)
    if user is None or user.is_blocked or user.auth_epoch != epoch:
        return None
    return user


def load_token_user(user_id, epoch):
    """The user behind an access token. Raises Forbidden if blocked, Unauthorized if the token
    predates a logout, password change, reset or block."""
    try:
        user = db.session.get(User, int(user_id))
    except (TypeError, ValueError):
        user = None
    if user is None:
        raise Unauthorized("This token is not valid.")
    if user.is_blocked:
        raise Forbidden("This account is blocked.")
    if epoch != user.auth_epoch:
        raise Unauthorized("This token has been revoked; sign in again.")
    return user
