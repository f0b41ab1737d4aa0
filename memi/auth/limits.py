"""Rate limits on the account endpoints, shared by the pages and the API: per client IP and per
account (the email in the request), so neither a single address nor a botnet against one account
gets far."""

from flask import current_app, request

from memi.extensions import limiter
from memi.web.client_ip import client_ip


def _account_key():
    data = request.get_json(silent=True) if request.is_json else None
    email = (data or {}).get("email") if isinstance(data, dict) else None
    email = email or request.form.get("email") or ""
    return "account:" + (email.strip().lower() if isinstance(email, str) else "")


def _no_account():
    return _account_key() == "account:"


def _only_posts():
    return request.method != "POST"


auth_ip_limit = limiter.shared_limit(
    lambda: current_app.config["RATELIMIT_AUTH_PER_IP"], scope="auth-ip", key_func=client_ip, exempt_when=_only_posts
)
auth_account_limit = limiter.shared_limit(
    lambda: current_app.config["RATELIMIT_AUTH_PER_ACCOUNT"],
    scope="auth-account",
    key_func=_account_key,
    exempt_when=lambda: _only_posts() or _no_account(),
)


def auth_limits(fn):
    return auth_ip_limit(auth_account_limit(fn))
