"""Rate limits that are not tied to one route (chat messages over pages, API and socket alike), on the
same storage as flask-limiter: memory by default, Redis when REDIS_URL is set."""

from flask import current_app
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter


def allow(limit, *identifiers):
    """True when one more hit on `identifiers` stays within `limit` ("30 per minute")."""
    app = current_app._get_current_object()
    if not app.config.get("RATELIMIT_ENABLED", True):
        return True
    limiter = app.extensions.get("memi_rate_limiter")
    if limiter is None:
        limiter = FixedWindowRateLimiter(storage_from_string(app.config["RATELIMIT_STORAGE_URI"]))
        app.extensions["memi_rate_limiter"] = limiter
    return limiter.hit(parse(limit), *identifiers)
