"""Rate limits that are not tied to one route (chat messages over pages, API and socket alike), on the
same storage as flask-limiter: memory by default, Redis when REDIS_URL is set."""

import math
import time

from flask import current_app, g
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter


def _limiter():
    app = current_app._get_current_object()
    limiter = app.extensions.get("memi_rate_limiter")
    if limiter is None:
        limiter = FixedWindowRateLimiter(storage_from_string(app.config["RATELIMIT_STORAGE_URI"]))
        app.extensions["memi_rate_limiter"] = limiter
    return limiter


def allow(limit, *identifiers):
    """True when one more hit on `identifiers` stays within `limit` ("30 per minute"). When it does
    not, the seconds until the window resets are kept for this request (RateLimited's Retry-After)."""
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return True
    if _limiter().hit(parse(limit), *identifiers):
        return True
    g.memi_retry_after = retry_after(limit, *identifiers)
    return False


def retry_after(limit, *identifiers):
    """Whole seconds until `limit`'s current window for `identifiers` resets (at least 1)."""
    reset_at, _remaining = _limiter().get_window_stats(parse(limit), *identifiers)
    return max(1, math.ceil(reset_at - time.time()))
