"""Accounts and authentication: registration, login, tokens, sessions, password reset."""

import re
import secrets
from datetime import timedelta
from types import SimpleNamespace

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_jwt_extended import create_access_token
from sqlalchemy.exc import IntegrityError

from memi import events
from memi.auth.models import PasswordResetToken, RefreshToken, UserSession
from memi.auth.passwords import burn_check_time, check_password, hash_password, password_problems
from memi.auth.tokens import new_token, token_hash
from memi.columns import utcnow
from memi.db_setup import lock_for_update
from memi.errors import Conflict, Forbidden, Invalid, NotFound, Unauthorized
from memi.extensions import db
from memi.locale import current_language, supported
from memi.mail import services as mail
from memi.statuses import Role
from memi.users.models import User
from memi.users.services import clean_profile_fields

BAD_CREDENTIALS = _l("Email or password is incorrect.")
# A used refresh token presented again within this long after the request that rotated it began is a
# request that raced that one (a client firing two refreshes at once): refused, without revoking the
# family. Presented later, it is a replay by someone holding a copy: the whole family is revoked.
REFRESH_RACE_WINDOW = timedelta(seconds=5)
# A session's last_seen_at is written at most this often (memi.auth.session touches it after a request).
SESSION_TOUCH_EVERY = timedelta(minutes=1)
# flask-login's default lifetime of the "remember me" cookie, used when REMEMBER_COOKIE_DURATION is unset.
REMEMBER_COOKIE_DEFAULT = timedelta(days=365)


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


def register_user(email, password, name, city=None, phone=None, locale=None):
    """Create a USER account, reading memi.az in `locale` (default: the language of this request, the
    one the person was using when they signed up).

    Raises Invalid (field messages) for a bad password or profile field, Conflict if the email is taken.
    """
    problems = {}
    valid = email_is_valid(email)
    email = normalize_email(email)
    if not valid or len(email) > 254:
        problems["email"] = [_l("Enter a valid email address.")]
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
        raise Conflict(_l("An account with this email already exists."), fields={"email": [_l("This email is taken.")]})
    locale = supported(locale) or current_language()
    user = User(email=email, password_hash=hash_password(password), role=Role.USER, locale=locale, **profile)
    try:
        with db.session.begin_nested():
            db.session.add(user)
    except IntegrityError:
        # Two registrations raced past the check above; the unique index chose one.
        raise Conflict(_l("An account with this email already exists."), fields={"email": [_l("This email is taken.")]})
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
        raise Forbidden(_l("This account is blocked."))
    user.last_login_at = utcnow()
    return user


# ---- sessions (one per signed-in device) ---------------------------------------------------------


def start_session(user, kind, user_agent=None, ip=None):
    """A new session row for `user` on one device (`kind` "web" or "api"), with a random public id."""
    config = current_app.config
    if kind == "web":  # as long as the "remember me" cookie that can bring it back
        lifetime = config.get("REMEMBER_COOKIE_DURATION") or REMEMBER_COOKIE_DEFAULT
    else:  # extended at every refresh
        lifetime = config["REFRESH_TOKEN_TTL"]
    if not isinstance(lifetime, timedelta):
        lifetime = timedelta(seconds=lifetime)
    now = utcnow()
    row = UserSession(
        id=secrets.token_urlsafe(24),
        user_id=user.id,
        kind=kind,
        created_at=now,
        last_seen_at=now,
        expires_at=now + lifetime,
        user_agent=(user_agent or "")[:300] or None,
        ip=(ip or "")[:64] or None,
    )
    db.session.add(row)
    db.session.flush()
    return row


def live_session(session_id):
    """The session row with this id if it has not ended (revoked or expired), else None."""
    if not isinstance(session_id, str) or not 0 < len(session_id) <= 36:
        return None
    row = db.session.get(UserSession, session_id)
    if row is None or row.revoked_at is not None or row.expires_at <= utcnow():
        return None
    return row


def needs_touch(row):
    """Whether the session's last_seen_at is old enough to be written again."""
    return row.last_seen_at <= utcnow() - SESSION_TOUCH_EVERY


def touch_session(session_id):
    """Set last_seen_at to now unless it was set within SESSION_TOUCH_EVERY (one conditional UPDATE)."""
    now = utcnow()
    db.session.execute(
        sa.update(UserSession)
        .where(UserSession.id == session_id, UserSession.last_seen_at <= now - SESSION_TOUCH_EVERY)
        .values(last_seen_at=now)
        .execution_options(synchronize_session=False)
    )


def list_sessions(user):
    """The user's sessions that have not ended, most recently used first."""
    return db.session.scalars(
        sa.select(UserSession)
        .where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None), UserSession.expires_at > utcnow())
        .order_by(UserSession.last_seen_at.desc(), UserSession.created_at.desc())
    ).all()


def _end_sessions(user_id, where, announce=True):
    """Revoke the matching sessions of `user_id` and their refresh tokens; close their sockets (after
    the commit) unless the caller announces it. Returns the ids of the sessions that ended."""
    now = utcnow()
    rows = db.session.scalars(
        sa.select(UserSession).where(
            UserSession.user_id == user_id, UserSession.revoked_at.is_(None), UserSession.expires_at > now, *where
        )
    ).all()
    if not rows:
        return []
    for row in rows:  # a handful of live sessions: loaded, so this transaction's copies stay right
        row.revoked_at = now
    ids = [row.id for row in rows]
    db.session.execute(
        sa.update(RefreshToken)
        .where(RefreshToken.family_id.in_(ids), RefreshToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    if announce:
        events.emit(db.session, events.sessions_ended, user_id=user_id, session_ids=list(ids))
    db.session.flush()
    return list(ids)


def end_session(user, session_id):
    """End one of the user's own sessions (that device is signed out at its next request and its
    sockets close). Raises NotFound for an id that is not one of theirs."""
    row = db.session.get(UserSession, session_id) if isinstance(session_id, str) and len(session_id) <= 36 else None
    if row is None or row.user_id != user.id:
        raise NotFound(_l("No such session."))
    _end_sessions(user.id, [UserSession.id == row.id])


def end_other_sessions(user, keep_session_id):
    """End every session of the user but `keep_session_id` (a password change)."""
    return _end_sessions(user.id, [UserSession.id != keep_session_id] if keep_session_id else [])


def issue_tokens(user, family_id=None, session=None):
    """A new access JWT and a new refresh token. The refresh token joins `family_id` (a refresh),
    else a new API session starts (`session`, or a new row) whose id is the family's id; the access
    token carries that id as its `sid` claim."""
    if family_id is None:
        session = session or start_session(user, "api")
        family_id = session.id
    access = create_access_token(identity=str(user.id), additional_claims={"epoch": user.auth_epoch, "sid": family_id})
    raw, digest = new_token()
    db.session.add(
        RefreshToken(
            user_id=user.id,
            family_id=family_id,
            token_hash=digest,
            expires_at=utcnow() + current_app.config["REFRESH_TOKEN_TTL"],
        )
    )
    db.session.flush()
    return access, raw


def _end_stolen_family(token):
    """A used refresh token came back: someone holds a copy. Its whole session ends (refresh tokens,
    the access tokens issued from it, its sockets), not only the refresh tokens."""
    _revoke_family(token.family_id)
    _end_sessions(token.user_id, [UserSession.id == token.family_id])


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
        raise Unauthorized(_l("This refresh token is not valid."))
    if token.revoked_at is not None:
        _end_stolen_family(token)
        raise Unauthorized(_l("This refresh token was already used; sign in again."))
    if token.used_at is not None:
        if token.used_at >= started - REFRESH_RACE_WINDOW:
            raise Unauthorized(_l("This refresh token was just used by a parallel request."))
        _end_stolen_family(token)
        raise Unauthorized(_l("This refresh token was already used; sign in again."))
    now = utcnow()
    if token.expires_at <= now:
        raise Unauthorized(_l("This refresh token has expired; sign in again."))
    won = db.session.execute(
        sa.update(RefreshToken)
        .where(RefreshToken.id == token.id, RefreshToken.used_at.is_(None), RefreshToken.revoked_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if won != 1:
        # Only reachable if the row lock did not hold (it always does on PostgreSQL and SQLite): the
        # other request won just now, so this is a race, not a replay.
        raise Unauthorized(_l("This refresh token was just used by a parallel request."))
    user = db.session.get(User, token.user_id)
    if user is None or user.is_blocked:
        raise Forbidden(_l("This account is blocked."))
    session = live_session(token.family_id)
    if session is None:  # signed out on this device (from another one), or the session ran out
        _revoke_family(token.family_id)
        raise Unauthorized(_l("This session has ended; sign in again."))
    session.last_seen_at = now
    session.expires_at = now + current_app.config["REFRESH_TOKEN_TTL"]
    access, new_raw = issue_tokens(user, family_id=token.family_id)
    return user, access, new_raw


def logout(raw_token):
    """API logout with a refresh token: end that token's session only (its refresh tokens, the access
    tokens issued from it and its sockets); the user's other devices stay signed in.

    Unknown tokens are ignored (logout is idempotent).
    """
    token = _find_refresh_token(raw_token)
    if token is None:
        return
    _revoke_family(token.family_id)
    _end_sessions(token.user_id, [UserSession.id == token.family_id])


def end_all_sessions(user):
    """End every session of `user`: web sessions, access tokens (session rows revoked and an epoch
    bump), all refresh tokens and sockets ("sign out everywhere", password reset, block)."""
    user.auth_epoch = (user.auth_epoch or 0) + 1
    _end_sessions(user.id, [], announce=False)
    events.emit(db.session, events.sessions_ended, user_id=user.id, session_ids=None)
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
        locale=user.locale,  # the recipient's language, whatever the request's
        subject=_l("Reset your memi.az password"),
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
        raise Invalid(_l("This reset link is invalid or has expired."), fields={"token": [_l("Invalid or expired.")]})
    # Hashed before anything is written: no transaction holds locks during bcrypt (memi.cpu).
    new_hash = hash_password(password)
    used = db.session.execute(
        sa.update(PasswordResetToken)
        .where(PasswordResetToken.id == token.id, PasswordResetToken.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if used != 1:
        raise Invalid(_l("This reset link is invalid or has expired."), fields={"token": [_l("Invalid or expired.")]})
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


def change_password(user, current_password, new_password, keep_session_id=None):
    """Change the password of a signed-in user; ends every session but `keep_session_id` (the one
    asking), with their refresh tokens, access tokens and sockets.

    Raises Invalid when the current password is wrong or the new one breaks the rules.
    """
    if not check_password(current_password or "", user.password_hash):
        raise Invalid(fields={"current_password": [_l("This is not your current password.")]})
    problems = password_problems(new_password)
    if problems:
        raise Invalid(fields={"new_password": problems})
    new_hash = hash_password(new_password)  # before anything is written (memi.cpu)
    user.password_hash = new_hash
    end_other_sessions(user, keep_session_id)
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
    """The user behind a web session id (a UserSession id), or None if the session has ended or the
    user is blocked. The user's `session_id` is set to it."""
    row = live_session(session_id)
    if row is None or row.kind != "web":
        return None
    user = db.session.get(User, row.user_id)
    if user is None or user.is_blocked:
        return None
    user.session_id = row.id
    user.session_needs_touch = needs_touch(row)
    return user


def load_token_user(user_id, epoch, session_id=None):
    """The user behind an access token. Raises Forbidden if blocked, Unauthorized if the token
    predates a sign-out everywhere, password reset or block (epoch), or its session (`sid`) ended.
    Tokens issued before sessions existed carry no `sid`; they are honoured until they expire."""
    try:
        user = db.session.get(User, int(user_id))
    except (TypeError, ValueError):
        user = None
    if user is None:
        raise Unauthorized(_l("This token is not valid."))
    if user.is_blocked:
        raise Forbidden(_l("This account is blocked."))
    if epoch != user.auth_epoch:
        raise Unauthorized(_l("This token has been revoked; sign in again."))
    if session_id is not None:
        row = live_session(session_id)
        if row is None or row.user_id != user.id:
            raise Unauthorized(_l("This session has ended; sign in again."))
        user.session_id = row.id
        user.session_needs_touch = needs_touch(row)
    return user


_BROWSERS = (
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("YaBrowser", "Yandex Browser"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("CriOS/", "Chrome"),
    ("Safari/", "Safari"),
)
_SYSTEMS = (
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Android", "Android"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
)


def describe_agent(user_agent):
    """A short "Firefox on Windows" for a User-Agent string ("Unknown device" when there is none)."""
    ua = user_agent or ""
    browser = next((name for marker, name in _BROWSERS if marker in ua), None)
    system = next((name for marker, name in _SYSTEMS if marker in ua), None)
    if browser and system:
        return gettext("%(browser)s on %(system)s", browser=browser, system=system)
    if browser or system:
        return browser or system
    product = re.match(r"[A-Za-z][\w.-]{0,39}", ua)
    return product.group(0) if product else gettext("Unknown device")
