"""Rate limits on the account endpoints, shared by the pages and the API.

- Per client IP: one flask-limiter bucket for login, register and forgot-password together, counted
  before the view runs.
- Register and forgot-password: a bucket per endpoint and email (the page and the API share it), so
  that requests anyone can make for someone else's email never lock its owner out of logging in.
- Login (`login_attempt`): every attempt is counted before the password is checked, per (email,
  client IP) tightly and per email loosely, and given back when it succeeds. Counting first means a
  parallel burst cannot pass the limit before its failures are counted; the per-(email, IP) bucket
  means a stranger's failures from their address cannot lock the owner out (only the loose per-email
  limit is shared, and reaching it takes many addresses).
"""

from contextlib import contextmanager

from flask import current_app, request
from flask_babel import lazy_gettext as _l

from memi import ratelimit
from memi.auth.services import normalize_email
from memi.client_ip import client_ip
from memi.errors import RateLimited
from memi.extensions import limiter

TOO_MANY_LOGINS = _l("Too many failed login attempts. Please wait a few minutes and try again.")


def _email():
    data = request.get_json(silent=True) if request.is_json else None
    email = (data or {}).get("email") if isinstance(data, dict) else None
    return email or request.form.get("email") or ""


def _account_key():

    email = _email()
    return "account:" + (normalize_email(email) if isinstance(email, str) else "")


def _no_account():
    return _account_key() == "account:"


def _only_posts():
    return request.method != "POST"


auth_ip_limit = limiter.shared_limit(
    lambda: current_app.config["RATELIMIT_AUTH_PER_IP"], scope="auth-ip", key_func=client_ip, exempt_when=_only_posts
)


def _account_limit(endpoint, **options):
    return limiter.shared_limit(
        lambda: current_app.config["RATELIMIT_AUTH_PER_ACCOUNT"],
        scope=f"auth-account-{endpoint}",
        key_func=_account_key,
        exempt_when=lambda: _only_posts() or _no_account(),
        **options,
    )


register_account_limit = _account_limit("register")
forgot_account_limit = _account_limit("forgot")


def login_limits(fn):
    """The per-IP limit; the per-account limits are `login_attempt` around the password check."""
    return auth_ip_limit(fn)


def register_limits(fn):
    return auth_ip_limit(register_account_limit(fn))


def forgot_limits(fn):
    return auth_ip_limit(forgot_account_limit(fn))


@contextmanager
def login_attempt(email):
    """Wrap the credential check of a login for `email`: raises RateLimited (429, Retry-After) before
    the check when this email has had too many failed attempts from this client address, or from
    anywhere; the attempt counts unless the block completes without an exception."""

    account = normalize_email(email) if isinstance(email, str) else ""
    taken = []
    if account:
        config = current_app.config
        per_ip = ratelimit.take(config["RATELIMIT_LOGIN_PER_ACCOUNT_IP"], "login-account-ip", account, client_ip())
        if per_ip is None:
            raise RateLimited(TOO_MANY_LOGINS)
        per_account = ratelimit.take(config["RATELIMIT_LOGIN_PER_ACCOUNT"], "login-account", account)
        if per_account is None:
            ratelimit.give_back(per_ip)
            raise RateLimited(TOO_MANY_LOGINS)
        taken = per_ip + per_account
    yield
    ratelimit.give_back(taken)
