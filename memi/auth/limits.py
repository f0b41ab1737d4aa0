"""Rate limits on the account endpoints, shared by the pages and the API: per client IP and per
account (the email in the request), so neither a single address nor a botnet against one account
gets far.

The per-IP limit is one bucket for login, register and forgot-password together. The per-account
limit is a bucket per endpoint (the page and the API share it), so that requests anyone can make
for someone else's email (registering it, asking for its reset link) never lock its owner out of
logging in or resetting the password; and login counts only failed attempts per account, so the
owner logging in does not use up their own allowance.
"""

from flask import current_app, request

from memi.extensions import limiter
from memi.web.client_ip import client_ip


def _account_key():
    from memi.auth.services import normalize_email

    data = request.get_json(silent=True) if request.is_json else None
    email = (data or {}).get("email") if isinstance(data, dict) else None
    email = email or request.form.get("email") or ""
    return "account:" + (normalize_email(email) if isinstance(email, str) else "")


def _no_account():
    return _account_key() == "account:"


def _only_posts():
    return request.method != "POST"


def _failed(response):
    # A refused attempt (bad credentials, blocked, malformed); not a 429 of the IP limit.
    return response.status_code >= 400 and response.status_code != 429


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


login_account_limit = _account_limit("login", deduct_when=_failed)
register_account_limit = _account_limit("register")
forgot_account_limit = _account_limit("forgot")


def login_limits(fn):
    return auth_ip_limit(login_account_limit(fn))


def register_limits(fn):
    return auth_ip_limit(register_account_limit(fn))


def forgot_limits(fn):
    return auth_ip_limit(forgot_account_limit(fn))
